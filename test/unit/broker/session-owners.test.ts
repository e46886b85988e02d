import { describe, expect, it } from 'vitest';
import { clientIdConflict, SessionOwners } from '../../../broker/session-owners.js';

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

describe('SessionOwners', () => {
  it('keeps the first owner of a client id and never hands it to another account', () => {
    const owners = new SessionOwners();
    owners.claim('fs-ingest', 'svc.ingest');
    owners.claim('fs-ingest', 'sub.snoop');
    expect(owners.ownerOf('fs-ingest')).toBe('svc.ingest');
    owners.release('fs-ingest', 'sub.snoop');
    expect(owners.ownerOf('fs-ingest')).toBe('svc.ingest');
  });

  it('ends the ownership when the owner discards its session', () => {
    const owners = new SessionOwners();
    owners.claim('fs-ingest', 'svc.ingest');
    owners.release('fs-ingest', 'svc.ingest');
    expect(owners.ownerOf('fs-ingest')).toBeUndefined();
    expect(owners.size).toBe(0);
  });
});
