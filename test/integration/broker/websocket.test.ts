import { readFile } from 'node:fs/promises';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { AccountSpec } from '../../../broker/accounts/account-schema.js';
import type { BrokerConfigInput } from '../../../broker/config.js';
import { makeTestCertificates, type TestCertificates } from '../../harness/tls-certs.js';
import { closed, nextMessage, type RunningBroker, startBroker, subscribeGranted } from './broker-fixture.js';

const OWN_READINGS = 'fs/v1/jinfo/cave-gw-1/readings';
const OTHER_READINGS = 'fs/v1/jinfo/cave-gw-2/readings';
const MAX_PACKET_BYTES = 8 * 1024;

const ACCOUNTS = {
  gateway: { kind: 'gateway', station: 'jinfo', gateway: 'cave-gw-1' },
  dashboard: { kind: 'subscriber', name: 'dashboard', scopes: ['jinfo'] },
} satisfies Record<string, AccountSpec>;

type Broker = RunningBroker<keyof typeof ACCOUNTS>;

let broker: Broker | undefined;
const clients: MqttClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.endAsync(true)));
  await broker?.stop();
  broker = undefined;
});

async function start(websocket: NonNullable<BrokerConfigInput['websocket']> = { port: 0 }): Promise<Broker> {
  broker = await startBroker({
    accounts: ACCOUNTS,
    maxPacketBytes: MAX_PACKET_BYTES,
    listeners: { websocket },
  });
  return broker;
}

function websocketUrl(b: Broker): string {
  const address = b.server.addresses()?.websocket;
  if (address === undefined) throw new Error('the broker has no websocket listener');
  return `${address.secure ? 'wss' : 'ws'}://127.0.0.1:${address.port}${address.path}`;
}

async function connectOver(url: string, username: string, password: string, options: IClientOptions = {}) {
  const client = await connectAsync(url, {
    username,
    password,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    ...options,
  });
  clients.push(client);
  return client;
}

function openRaw(url: string, protocols: string[]): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('MQTT over WebSocket', () => {
  it('publishes and subscribes with username and password, on /mqtt with subprotocol mqtt', async () => {
    const b = await start();
    const { gateway, dashboard } = b.accounts;
    expect(b.server.addresses()?.websocket).toMatchObject({ path: '/mqtt', secure: false });
    const url = websocketUrl(b);
    const reader = await connectOver(url, dashboard.username, dashboard.password);
    expect(await subscribeGranted(reader, 'fs/v1/jinfo/#')).toBe(1);
    const received = nextMessage(reader, OWN_READINGS);
    const publisher = await connectOver(url, gateway.username, gateway.password);
    await publisher.publishAsync(OWN_READINGS, '{"v":1,"seq":1,"readings":[]}', { qos: 1 });
    expect(await received).toBe('{"v":1,"seq":1,"readings":[]}');

    const raw = await openRaw(url, ['mqtt']);
    expect(raw.protocol).toBe('mqtt');
    raw.terminate();
  });

  it('applies the same rights and refusals as over TCP', async () => {
    const b = await start();
    const { gateway, dashboard } = b.accounts;
    const url = websocketUrl(b);
    await expect(connectOver(url, gateway.username, 'wrong')).rejects.toMatchObject({ code: 4 });
    const reader = await connectOver(url, dashboard.username, dashboard.password);
    expect(await subscribeGranted(reader, 'fs/v1/xuefeng/#')).toBe(128);
    const publisher = await connectOver(url, gateway.username, gateway.password);
    const disconnected = closed(publisher);
    publisher.publish(OTHER_READINGS, 'not mine', { qos: 1 });
    await disconnected;
    expect(b.server.stats()).toMatchObject({ authFailures: 1, subscribeDenied: 1, publishDenied: 1 });
  });

  it('refuses a message larger than the largest packet, and counts it', async () => {
    const b = await start();
    const { gateway } = b.accounts;
    const url = websocketUrl(b);
    const publisher = await connectOver(url, gateway.username, gateway.password);
    const disconnected = closed(publisher);
    publisher.publish(OWN_READINGS, Buffer.alloc(2 * MAX_PACKET_BYTES, 0x61), { qos: 1 });
    await disconnected;
    expect(b.server.stats()).toMatchObject({ oversized: 1, publishDenied: 0 });
    const again = await connectOver(url, gateway.username, gateway.password);
    await again.publishAsync(OWN_READINGS, 'small', { qos: 1 });
  });

  it('closes a connection whose single WebSocket message is larger than the largest packet (1009)', async () => {
    const b = await start();
    const raw = await openRaw(websocketUrl(b), ['mqtt']);
    const closeCode = new Promise<number>((resolve) => raw.once('close', resolve));
    raw.send(Buffer.alloc(2 * MAX_PACKET_BYTES, 0x30));
    expect(await closeCode).toBe(1009);
    expect(b.server.stats().oversized).toBe(1);
    expect(b.logs.some((line) => line.includes('oversized websocket message'))).toBe(true);
  });

  it('answers plain HTTP with 426 and refuses other paths', async () => {
    const b = await start({ port: 0, path: '/dashboard/mqtt' });
    const address = b.server.addresses()?.websocket;
    const response = await fetch(`http://127.0.0.1:${address?.port}/dashboard/mqtt`);
    expect(response.status).toBe(426);
    await expect(openRaw(`ws://127.0.0.1:${address?.port}/mqtt`, ['mqtt'])).rejects.toThrow(/400/);
  });
});

describe('MQTT over secure WebSocket', () => {
  let certificates: TestCertificates;

  beforeAll(async () => {
    certificates = await makeTestCertificates([]);
  });

  afterAll(async () => {
    await certificates?.remove();
  });

  it('serves wss:// with the TLS files', async () => {
    const { server, caFile } = certificates;
    const b = await start({ port: 0, certFile: server.cert, keyFile: server.key });
    const { dashboard } = b.accounts;
    expect(b.server.addresses()?.websocket?.secure).toBe(true);
    const reader = await connectOver(websocketUrl(b), dashboard.username, dashboard.password, {
      ca: await readFile(caFile),
    });
    expect(await subscribeGranted(reader, 'fs/v1/jinfo/#')).toBe(1);
  });
});
