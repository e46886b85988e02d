import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountSpec } from '../../../broker/accounts/account-schema.js';
import { gatewayTopic } from '../../../protocol/index.js';
import { closed, type RunningBroker, startBroker, subscribeGranted } from './broker-fixture.js';
import { MosquittoSub } from './mosquitto-sub.js';
import { RawMqttSocket } from './raw-mqtt.js';
import { SubscribeAnnouncements } from './sys-announcements.js';

// MQTT 3.1.1 behaviour the contract relies on, checked over TCP with MQTT.js, with Debian's
// mosquitto clients (libmosquitto) and with hand-built packets for what neither will send.

const STATUS = gatewayTopic({ station: 'jinfo', gateway: 'cave-1' }, 'status');
const ALERT = 'fs/v1/alerts/jinfo/co2-high';
const OTHER_ALERT = 'fs/v1/alerts/jinfo/frost';
const run = promisify(execFile);

const ACCOUNTS = {
  gateway: { kind: 'gateway', station: 'jinfo', gateway: 'cave-1' },
  alerts: { kind: 'service', name: 'alerts' },
  reader: { kind: 'subscriber', name: 'reader', scopes: ['all'] },
  ops: { kind: 'subscriber', name: 'ops', scopes: ['operator'] },
} satisfies Record<string, AccountSpec>;

let broker: RunningBroker<keyof typeof ACCOUNTS>;
const raws: RawMqttSocket[] = [];
const subs: MosquittoSub[] = [];

beforeEach(async () => {
  broker = await startBroker({ accounts: ACCOUNTS });
});

afterEach(async () => {
  for (const raw of raws.splice(0)) raw.destroy();
  await Promise.all(subs.splice(0).map((sub) => sub.kill()));
  await broker.stop();
});

async function raw(): Promise<RawMqttSocket> {
  const socket = await RawMqttSocket.open(broker.port);
  raws.push(socket);
  return socket;
}

function sub(options: Omit<Parameters<typeof MosquittoSub.start>[0], 'port'>): MosquittoSub {
  const started = MosquittoSub.start({ port: broker.port, ...options });
  subs.push(started);
  return started;
}

/** Every message the client gets, in order, as `topic payload`. */
function record(client: MqttClient): string[] {
  const messages: string[] = [];
  client.on('message', (topic, payload) => messages.push(`${topic} ${payload.toString()}`));
  return messages;
}

async function reader(): Promise<MqttClient> {
  const { username, password } = broker.accounts.reader;
  return broker.connect(username, password);
}

/**
 * Subscriptions as the broker announces them to an operator: a test waits on it until mosquitto_sub
 * has subscribed (its will is stored by then), which its block-buffered output cannot tell.
 */
async function subscriptions(): Promise<SubscribeAnnouncements> {
  const { username, password } = broker.accounts.ops;
  return SubscribeAnnouncements.start(await broker.connect(username, password, 'ops'));
}

/** A live message after the one under test: whatever arrived before it arrived first. */
async function publishMarker(topic: string): Promise<void> {
  const { username, password } = topic === STATUS ? broker.accounts.gateway : broker.accounts.alerts;
  const publisher = await broker.connect(username, password, `marker-${Date.now()}`);
  await publisher.publishAsync(topic, 'marker', { qos: 1 });
  await publisher.endAsync();
}

describe('client identifiers', () => {
  it('answers a zero-length id with clean session off with CONNACK 0x02 and closes [MQTT-3.1.3-8]', async () => {
    const { username, password } = broker.accounts.gateway;
    const socket = await raw();
    expect(await socket.connect({ clientId: '', clean: false, username, password })).toBe(2);
    await socket.closed;
    expect(broker.server.stats()).toMatchObject({ connections: 0, authFailures: 1, keptSessions: 0 });
  });

  it('names a client with a zero-length id and clean session on [MQTT-3.1.3-6]', async () => {
    const { username, password } = broker.accounts.reader;
    const socket = await raw();
    expect(await socket.connect({ clientId: '', clean: true, username, password })).toBe(0);
    const client = await broker.connect(username, password, '', { clean: true });
    expect(client.connected).toBe(true);
    await vi.waitFor(() => expect(broker.server.stats().connections).toBe(2));
    const ids = broker.logs
      .map((line) => JSON.parse(line) as { msg: string; clientId?: string })
      .filter((entry) => entry.msg === 'client connected')
      .map((entry) => entry.clientId);
    expect(new Set(ids).size).toBe(2);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
  });

  it('closes the older connection when the same account connects with its client id [MQTT-3.1.4-2]', async () => {
    const { username, password } = broker.accounts.gateway;
    const older = await broker.connect(username, password, 'cave-1');
    const olderClosed = closed(older);
    const newer = await broker.connect(username, password, 'cave-1');
    await olderClosed;
    expect(newer.connected).toBe(true);
    await newer.publishAsync(STATUS, '{"state":"online"}', { qos: 1, retain: true });
    await vi.waitFor(() => expect(broker.server.stats().connections).toBe(1));
  });
});

describe('last will', () => {
  const will = { topic: STATUS, payload: Buffer.from('offline'), qos: 1 as const, retain: true };

  it('is published when the connection drops without DISCONNECT', async () => {
    const observer = await reader();
    const messages = record(observer);
    await subscribeGranted(observer, STATUS);
    const { username, password } = broker.accounts.gateway;
    const gateway = await broker.connect(username, password, 'cave-1', { will });
    gateway.stream.destroy();
    await vi.waitFor(() => expect(messages).toEqual([`${STATUS} offline`]));
  });

  it('is not published after a clean DISCONNECT [MQTT-3.14.4-3]', async () => {
    const observer = await reader();
    const messages = record(observer);
    await subscribeGranted(observer, STATUS);
    const { username, password } = broker.accounts.gateway;
    const gateway = await broker.connect(username, password, 'cave-1', { will });
    await gateway.endAsync();
    await vi.waitFor(() => expect(broker.server.stats().connections).toBe(1));
    await publishMarker(STATUS);
    await vi.waitFor(() => expect(messages).toEqual([`${STATUS} marker`]));
  });

  it('comes from mosquitto_sub killed with SIGKILL, and not from one that leaves with DISCONNECT (-C 1)', async () => {
    const observer = await reader();
    const messages = record(observer);
    await subscribeGranted(observer, STATUS);
    const { username, password } = broker.accounts.gateway;
    const options = {
      username,
      password,
      topic: 'fs/v1/jinfo/cave-1/#',
      will: { topic: STATUS, payload: 'gone' },
    };

    // With -C 1 it sends DISCONNECT after its first message: no signal, whose handling by
    // mosquitto_sub races its own network thread (it can hang, or exit without DISCONNECT).
    const announcements = await subscriptions();
    const polite = sub({ ...options, clientId: 'cave-1-polite', count: 1 });
    await announcements.subscribed('cave-1-polite', options.topic);
    await publishMarker(STATUS);
    expect(await polite.exited).toEqual({ code: 0, signal: null });
    await publishMarker(STATUS);
    await vi.waitFor(() => expect(messages).toEqual([`${STATUS} marker`, `${STATUS} marker`]));

    const killed = sub({ ...options, clientId: 'cave-1-killed' });
    await announcements.subscribed('cave-1-killed', options.topic);
    killed.signal('SIGKILL');
    await vi.waitFor(() =>
      expect(messages).toEqual([`${STATUS} marker`, `${STATUS} marker`, `${STATUS} gone`]),
    );
  });
});

describe('retained messages', () => {
  async function retain(topic: string, payload: string): Promise<void> {
    const { username, password } = broker.accounts.alerts;
    const args = [
      '-V',
      'mqttv311',
      '-h',
      '127.0.0.1',
      '-p',
      String(broker.port),
      '-u',
      username,
      '-P',
      password,
    ];
    const message = payload === '' ? ['-n'] : ['-m', payload];
    await run('mosquitto_pub', [...args, '-q', '1', '-r', '-t', topic, ...message], { timeout: 10_000 });
  }

  it('delivers the retained message to a new subscriber (mosquitto_sub) and forgets it after an empty one', async () => {
    await retain(ALERT, '{"state":"firing"}');
    await retain(OTHER_ALERT, '{"state":"ok"}');
    const { username, password } = broker.accounts.reader;
    const first = sub({ username, password, topic: ALERT, count: 1 });
    await first.exited;
    expect(first.output).toContain('{"state":"firing"}');

    await retain(ALERT, '');
    const later = await reader();
    const messages = record(later);
    await subscribeGranted(later, 'fs/v1/alerts/jinfo/+');
    await publishMarker(ALERT);
    await vi.waitFor(() => expect(messages).toEqual([`${OTHER_ALERT} {"state":"ok"}`, `${ALERT} marker`]));
  });

  it('marks a stored message as retained for the new subscriber [MQTT-3.3.1-8]', async () => {
    await retain(ALERT, '{"state":"firing"}');
    const later = await reader();
    const retained = new Promise<boolean>((resolve) =>
      later.once('message', (_t, _p, packet) => resolve(packet.retain)),
    );
    await subscribeGranted(later, ALERT);
    expect(await retained).toBe(true);
  });
});

describe('keep-alive', () => {
  it('disconnects a client silent for 1.5 × its keep-alive and publishes its will [MQTT-3.1.2-24]', async () => {
    const observer = await reader();
    const messages = record(observer);
    await subscribeGranted(observer, STATUS);
    const { username, password } = broker.accounts.gateway;
    const silent = await raw();
    const will = { topic: STATUS, payload: 'timed out', qos: 1 as const };
    expect(
      await silent.connect({ clientId: 'cave-1', clean: true, username, password, keepalive: 1, will }),
    ).toBe(0);
    const connectedAt = performance.now();
    await silent.closed;
    const silentFor = performance.now() - connectedAt;
    expect(silentFor).toBeGreaterThanOrEqual(1400);
    expect(silentFor).toBeLessThan(3000);
    await vi.waitFor(() => expect(messages).toEqual([`${STATUS} timed out`]));
  });

  it('disconnects a stopped mosquitto_sub after 1.5 × -k 5 and publishes its will', {
    timeout: 20_000,
  }, async () => {
    const observer = await reader();
    const messages = record(observer);
    await subscribeGranted(observer, STATUS);
    const { username, password } = broker.accounts.gateway;
    const announcements = await subscriptions();
    const frozen = sub({
      username,
      password,
      clientId: 'cave-1',
      topic: 'fs/v1/jinfo/cave-1/#',
      keepalive: 5,
      will: { topic: STATUS, payload: 'frozen' },
    });
    await announcements.subscribed('cave-1', 'fs/v1/jinfo/cave-1/#');
    frozen.signal('SIGSTOP');
    await vi.waitFor(() => expect(messages).toEqual([`${STATUS} frozen`]), { timeout: 10_000 });
  });
});
