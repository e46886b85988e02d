import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { type ConnectingClient, clientIdConflict, SessionOwners } from '../../../broker/session-owners.js';
import { MemoryOwnerStore } from '../../../broker/sessions/memory-owner-store.js';

describe('clientIdConflict', () => {
  it('lets an account use a free client id or one it holds', () => {
    expect(clientIdConflict('a', undefined, undefined)).toBeUndefined();
    expect(clientIdConflict('a', 'a', undefined)).toBeUndefined();
    expect(clientIdConflict('a', undefined, 'a')).toBeUndefined();
    expect(clientIdConflict('a', 'a', 'a')).toBeUndefined();
  });

  it('refuses an id held by another account, live or through a kept session', () => {
    expect(clientIdConflict('b', 'a', undefined)).toEqual({ owner: 'a', holds: 'live connection' });
    expect(clientIdConflict('b', undefined, 'a')).toEqual({ owner: 'a', holds: 'kept session' });
    expect(clientIdConflict('b', 'b', 'a')).toEqual({ owner: 'a', holds: 'kept session' });
  });
});

const owners = () => new SessionOwners(new MemoryOwnerStore(), pino({ level: 'silent' }));
const persistent = (id: string): ConnectingClient => ({ id, clean: false });
const clean = (id: string): ConnectingClient => ({ id, clean: true });

describe('SessionOwners', () => {
  it('keeps the first owner of a client id and never hands it to another account', async () => {
    const table = owners();
    expect(await table.claim(persistent('fs-ingest'), 'svc.ingest')).toBe('svc.ingest');
    expect(await table.claim(persistent('fs-ingest'), 'sub.snoop')).toBe('svc.ingest');
    await table.connected(clean('fs-ingest'), 'sub.snoop');
    expect(await table.ownerOf('fs-ingest')).toBe('svc.ingest');
    expect(table.knownOwnerOf('fs-ingest')).toBe('svc.ingest');
  });

  it('ends the ownership when the owner connects clean, and claims again on a persistent connect', async () => {
    const table = owners();
    await table.connected(persistent('fs-ingest'), 'svc.ingest');
    expect(table.size).toBe(1);
    await table.connected(clean('fs-ingest'), 'svc.ingest');
    expect(await table.ownerOf('fs-ingest')).toBeUndefined();
    expect(table.size).toBe(0);
  });

  it('withdraws only a claim the refused connect itself created', async () => {
    const table = owners();
    const first = persistent('fs-ingest');
    await table.claim(first, 'svc.ingest');
    const second = persistent('fs-ingest');
    await table.claim(second, 'svc.ingest');
    await table.withdraw(second, 'svc.ingest');
    expect(await table.ownerOf('fs-ingest')).toBe('svc.ingest');
    await table.withdraw(first, 'svc.ingest');
    expect(await table.ownerOf('fs-ingest')).toBeUndefined();
  });
});
