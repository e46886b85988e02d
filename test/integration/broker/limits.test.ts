import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AccountSpec } from '../../../broker/accounts/account-schema.js';
import type { BrokerConfigInput } from '../../../broker/config.js';
import { renderExposition } from '../../../metrics/index.js';
import { gatewayTopic } from '../../../protocol/index.js';
import { closed, type RunningBroker, startBroker, subscribeGranted } from './broker-fixture.js';
import { RawMqttSocket, subscribePacket } from './raw-mqtt.js';

// Each limit against the real broker over TCP, configured tiny so it is reached at once.

const READINGS = gatewayTopic({ station: 'jinfo', gateway: 'cave-1' }, 'readings');
const ACCOUNTS = {
  gateway: { kind: 'gateway', station: 'jinfo', gateway: 'cave-1' },
  ingest: { kind: 'service', name: 'ingest' },
  reader: { kind: 'subscriber', name: 'reader', scopes: ['all'] },
} satisfies Record<string, AccountSpec>;
type Account = keyof typeof ACCOUNTS;

let broker: RunningBroker<Account> | undefined;
const raws: RawMqttSocket[] = [];

afterEach(async () => {
  for (const raw of raws.splice(0)) raw.destroy();
  await broker?.stop();
  broker = undefined;
});

async function start(limits: BrokerConfigInput['limits']): Promise<RunningBroker<Account>> {
  broker = await startBroker({ accounts: ACCOUNTS, limits });
  return broker;
}

function as(b: RunningBroker<Account>, account: Account, clientId?: string): Promise<MqttClient> {
  const { username, password } = b.accounts[account];
  return b.connect(username, password, clientId);
}

function record(client: MqttClient): string[] {
  const messages: string[] = [];
  client.on('message', (topic, payload) => messages.push(`${topic} ${payload.toString()}`));
  return messages;
}

/** The log lines of one limit, parsed. */
function hits(b: RunningBroker<Account>, limit: string): Record<string, unknown>[] {
  return b.logs
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.limit === limit);
}

describe('topic depth', () => {
  it('drops a publish deeper than the limit, acknowledged and counted, and keeps the connection', async () => {
    const b = await start({ maxTopicLevels: 6 });
    const observer = await as(b, 'reader');
    const messages = record(observer);
    await subscribeGranted(observer, 'fs/v1/alerts/#');
    const alerts = await as(b, 'ingest', 'alerts-1');
    await alerts.publishAsync('fs/v1/alerts/jinfo/a/b/c', 'too deep', { qos: 1, retain: true });
    await alerts.publishAsync('fs/v1/alerts/jinfo/a/b', 'deep enough', { qos: 1 });
    await vi.waitFor(() => expect(messages).toEqual(['fs/v1/alerts/jinfo/a/b deep enough']));
    expect(alerts.connected).toBe(true);
    expect(b.server.stats().limitHits.topicDepth).toBe(1);
    expect(hits(b, 'topicDepth')).toMatchObject([
      { account: b.accounts.ingest.username, clientId: 'alerts-1', topic: 'fs/v1/alerts/jinfo/a/b/c' },
    ]);
  });

  it('answers a filter deeper than the limit with SUBACK 0x80 and grants the others', async () => {
    const b = await start({ maxTopicLevels: 6 });
    const observer = await as(b, 'reader', 'reader-1');
    expect(await subscribeGranted(observer, 'fs/v1/alerts/jinfo/+/+/#')).toBe(128);
    expect(await subscribeGranted(observer, 'fs/v1/alerts/jinfo/+/#')).toBe(1);
    expect(observer.connected).toBe(true);
    expect(b.server.stats()).toMatchObject({ subscribeDenied: 0, limitHits: { topicDepth: 1 } });
    expect(hits(b, 'topicDepth')).toMatchObject([
      { clientId: 'reader-1', topic: 'fs/v1/alerts/jinfo/+/+/#' },
    ]);
  });
});

describe('connections per account', () => {
  it('refuses the N+1th connection with CONNACK 3 and takes one again once a connection closes', async () => {
    const b = await start({ maxConnectionsPerAccount: 2 });
    const first = await as(b, 'reader', 'reader-1');
    await as(b, 'reader', 'reader-2');
    await expect(as(b, 'reader', 'reader-3')).rejects.toMatchObject({ code: 3 });
    expect(b.server.stats().limitHits.connectionsPerAccount).toBe(1);
    expect(hits(b, 'connectionsPerAccount')).toMatchObject([
      { account: b.accounts.reader.username, clientId: 'reader-3' },
    ]);
    await as(b, 'gateway', 'cave-1');

    const firstClosed = closed(first);
    const takeover = await as(b, 'reader', 'reader-1');
    await firstClosed;
    expect(takeover.connected).toBe(true);

    await takeover.endAsync();
    const again = await vi.waitFor(() => as(b, 'reader', 'reader-3'));
    expect(again.connected).toBe(true);
  });

  it('keeps no session for a persistent connect it refused', async () => {
    const b = await start({ maxConnectionsPerAccount: 1 });
    await as(b, 'ingest', 'ingest-1');
    const { username, password } = b.accounts.ingest;
    await expect(b.connect(username, password, 'ingest-2', { clean: false })).rejects.toMatchObject({
      code: 3,
    });
    expect(b.server.stats().keptSessions).toBe(0);
  });
});

describe('connection rate per source address', () => {
  it('refuses CONNECTs over the rate with CONNACK 3 before looking at the password', async () => {
    const b = await start({ connectionRate: { perSecond: 0.001, burst: 2 } });
    await as(b, 'reader', 'reader-1');
    await as(b, 'gateway', 'cave-1');
    const { username } = b.accounts.reader;
    await expect(b.connect(username, 'not-the-secret', 'reader-2')).rejects.toMatchObject({ code: 3 });
    expect(b.server.stats()).toMatchObject({ authFailures: 1, limitHits: { connectionRate: 1 } });
    expect(hits(b, 'connectionRate')).toMatchObject([{ clientId: 'reader-2', address: '127.0.0.1' }]);
  });
});

describe('account lock-out after wrong passwords', () => {
  it('refuses even the right password while locked, lets it in after the lock, and counts it in /metrics', async () => {
    const b = await start({ accountLockout: { afterFailures: 3, firstLockMs: 5000, maxLockMs: 60_000 } });
    const { username, password } = b.accounts.gateway;
    for (let i = 0; i < 3; i++) {
      await expect(b.connect(username, 'not-the-secret', 'cave-1')).rejects.toMatchObject({ code: 4 });
    }
    await expect(b.connect(username, password, 'cave-1')).rejects.toMatchObject({ code: 4 });
    expect(b.server.stats()).toMatchObject({ authFailures: 4, limitHits: { accountLockout: 1 } });
    expect(hits(b, 'accountLockout')).toMatchObject([
      { account: username, clientId: 'cave-1', address: '127.0.0.1', failures: 3, lockMs: 5000 },
    ]);

    const gateway = await vi.waitFor(() => b.connect(username, password, 'cave-1'), {
      timeout: 20_000,
      interval: 100,
    });
    expect(gateway.connected).toBe(true);
    // Refusals while waiting for the lock to end are counted, but the lock is logged once.
    expect(hits(b, 'accountLockout')).toHaveLength(1);
    const hitsSample = /^fieldstation_broker_limit_hits_total\{kind="accountLockout"\} (\d+)$/m;
    const metrics = renderExposition(b.server.operations.collect());
    expect(Number(hitsSample.exec(metrics)?.[1])).toBe(b.server.stats().limitHits.accountLockout);
    expect(b.server.stats().limitHits.accountLockout).toBeGreaterThanOrEqual(1);
  });
});

describe('message rate per client', () => {
  it('closes the connection of a client over its rate without acknowledging the excess publish', async () => {
    const b = await start({ messageRate: { perSecond: 0.001, burst: 3 } });
    const observer = await as(b, 'reader');
    const messages = record(observer);
    await subscribeGranted(observer, READINGS);
    const gateway = await as(b, 'gateway', 'cave-1');
    for (const seq of [1, 2, 3]) await gateway.publishAsync(READINGS, String(seq), { qos: 1 });
    const gone = closed(gateway);
    const acknowledged = vi.fn();
    gateway.publish(READINGS, '4', { qos: 1 }, acknowledged);
    await gone;
    await vi.waitFor(() => expect(messages).toHaveLength(3));
    expect(messages).toEqual([1, 2, 3].map((seq) => `${READINGS} ${seq}`));
    // MQTT.js fails a publish still in flight when the connection ends; it must never succeed.
    expect(acknowledged.mock.calls.every(([error]) => error instanceof Error)).toBe(true);
    expect(b.server.stats().limitHits.messageRate).toBe(1);
    expect(hits(b, 'messageRate')).toMatchObject([
      { account: b.accounts.gateway.username, clientId: 'cave-1', topic: READINGS },
    ]);
  });
});

describe('queued messages per offline session', () => {
  it('drops messages for an offline session past its limit and delivers everything else', async () => {
    const b = await start({ maxQueuedPerSession: 3 });
    const { username, password } = b.accounts.ingest;
    const offline = await b.connect(username, password, 'fs-ingest', { clean: false });
    expect(await subscribeGranted(offline, READINGS)).toBe(1);
    await offline.endAsync();
    await vi.waitFor(() => expect(b.server.stats().connections).toBe(0));

    const live = await as(b, 'reader');
    const liveMessages = record(live);
    await subscribeGranted(live, READINGS);
    const gateway = await as(b, 'gateway', 'cave-1');
    for (const seq of [1, 2, 3, 4, 5]) await gateway.publishAsync(READINGS, String(seq), { qos: 1 });
    await vi.waitFor(() => expect(liveMessages).toHaveLength(5));
    expect(b.server.stats().limitHits.queuedMessages).toBe(2);
    expect(hits(b, 'queuedMessages')).toMatchObject([
      { account: username, clientId: 'fs-ingest', topic: READINGS, maxQueued: 3 },
    ]);

    const resumed = b.open(username, password, 'fs-ingest', { clean: false });
    const resumedMessages = record(resumed);
    await vi.waitFor(() => expect(resumedMessages).toHaveLength(3));
    await gateway.publishAsync(READINGS, '6', { qos: 1 });
    await vi.waitFor(() => expect(resumedMessages).toEqual([1, 2, 3, 6].map((seq) => `${READINGS} ${seq}`)));
  });
});

describe('slow subscriber', () => {
  it('disconnects a subscriber that stops reading after the drain timeout; the others keep receiving', async () => {
    // Long enough that the healthy reader, in this busy test process, is never taken for a slow one.
    const b = await start({ drainTimeoutMs: 2_000 });
    const { username, password } = b.accounts.reader;
    const stuck = await RawMqttSocket.open(b.port);
    raws.push(stuck);
    expect(await stuck.connect({ clientId: 'stuck', clean: true, username, password })).toBe(0);
    stuck.send(subscribePacket(1, READINGS, 0));
    await stuck.next(9);
    stuck.socket.pause();

    const healthy = await as(b, 'reader', 'healthy');
    let received = 0;
    healthy.on('message', () => {
      received += 1;
    });
    await subscribeGranted(healthy, READINGS);
    const gateway = await as(b, 'gateway', 'cave-1');
    const payload = Buffer.alloc(60_000, 'x');
    const count = 400;
    for (let seq = 0; seq < count; seq++) gateway.publish(READINGS, payload, { qos: 0 });
    await vi.waitFor(() => expect(received).toBe(count), { timeout: 20_000 });
    expect(b.server.stats().limitHits.slowSubscriber).toBe(1);
    expect(hits(b, 'slowSubscriber')).toMatchObject([
      { account: username, clientId: 'stuck', drainTimeoutMs: 2_000 },
    ]);
    stuck.socket.resume();
    await stuck.closed;
  });
});
