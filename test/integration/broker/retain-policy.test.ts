import type { IPublishPacket } from 'mqtt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AccountSpec } from '../../../broker/accounts/account-schema.js';
import { type RunningBroker, startBroker, subscribeGranted } from './broker-fixture.js';

const PREFIX = 'fs/v1/jinfo/manual-1/';

const ACCOUNTS = {
  gateway: { kind: 'gateway', station: 'jinfo', gateway: 'manual-1' },
  ingest: { kind: 'service', name: 'ingest' },
} satisfies Record<string, AccountSpec>;

let broker: RunningBroker<keyof typeof ACCOUNTS> | undefined;

afterEach(async () => {
  await broker?.stop();
  broker = undefined;
});

interface Seen {
  topic: string;
  payload: string;
  retain: boolean;
}

function record(seen: Seen[]) {
  return (topic: string, payload: Buffer, packet: IPublishPacket): void => {
    seen.push({ topic, payload: payload.toString(), retain: packet.retain });
  };
}

describe('retain flag per message kind', () => {
  it('delivers a retained readings publish live but does not retain it; status stays retained', async () => {
    broker = await startBroker({ accounts: ACCOUNTS });
    const b = broker;
    const { gateway, ingest } = b.accounts;
    const live: Seen[] = [];
    const first = await b.connect(ingest.username, ingest.password);
    first.on('message', record(live));
    expect(await subscribeGranted(first, `${PREFIX}+`)).toBe(1);

    const publisher = await b.connect(gateway.username, gateway.password);
    await publisher.publishAsync(`${PREFIX}readings`, 'stale', { qos: 0, retain: true });
    await publisher.publishAsync(`${PREFIX}health`, 'old', { qos: 0, retain: true });
    await publisher.publishAsync(`${PREFIX}status`, 'online', { qos: 1, retain: true });
    await vi.waitFor(() => expect(live.map((seen) => seen.payload)).toEqual(['stale', 'old', 'online']));
    expect(b.server.stats().retainCleared).toBe(2);

    const later: Seen[] = [];
    const second = await b.connect(ingest.username, ingest.password);
    second.on('message', record(later));
    expect(await subscribeGranted(second, `${PREFIX}+`)).toBe(1);
    await vi.waitFor(() =>
      expect(later).toContainEqual({ topic: `${PREFIX}status`, payload: 'online', retain: true }),
    );
    // Retained messages come with the subscription; a fresh publish arriving after them bounds the wait.
    await publisher.publishAsync(`${PREFIX}readings`, 'fresh', { qos: 1 });
    await vi.waitFor(() => expect(later.map((seen) => seen.payload)).toContain('fresh'));
    expect(later.map((seen) => seen.payload).sort()).toEqual(['fresh', 'online']);
  });
});
