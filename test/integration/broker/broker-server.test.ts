import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AccountSpec } from '../../../broker/accounts/account-schema.js';
import { removeAccount, rotateAccount } from '../../../broker/accounts/account-store.js';
import { closed, nextMessage, type RunningBroker, startBroker, subscribeGranted } from './broker-fixture.js';

const OWN_READINGS = 'fs/v1/jinfo/cave-1/readings';
const OTHER_READINGS = 'fs/v1/jinfo/cave-2/readings';
const MAX_PACKET_BYTES = 8 * 1024;

const CAVE_1: AccountSpec = { kind: 'gateway', station: 'jinfo', gateway: 'cave-1' };
const CAVE_2: AccountSpec = { kind: 'gateway', station: 'jinfo', gateway: 'cave-2' };
const INGEST: AccountSpec = { kind: 'service', name: 'ingest' };
const JINFO_READER: AccountSpec = { kind: 'subscriber', name: 'lab', scopes: ['jinfo'] };

let broker: RunningBroker | undefined;

afterEach(async () => {
  await broker?.stop();
  broker = undefined;
});

/** Starts a broker whose credentials file already holds these accounts. */
async function brokerWith<K extends string>(accounts: Record<K, AccountSpec>): Promise<RunningBroker<K>> {
  const started = await startBroker({ accounts, maxPacketBytes: MAX_PACKET_BYTES });
  broker = started;
  return started;
}

describe('authentication', () => {
  it('connects with the right password, counts and logs the connection without the password', async () => {
    const b = await brokerWith({ gateway: CAVE_1 });
    const { gateway } = b.accounts;
    const client = await b.connect(gateway.username, gateway.password);
    expect(client.connected).toBe(true);
    await vi.waitFor(() => expect(b.server.stats().connections).toBe(1));
    expect(b.logs.some((line) => line.includes('client connected') && line.includes(gateway.username))).toBe(
      true,
    );
    expect(b.logs.some((line) => line.includes(gateway.password))).toBe(false);
  });

  it('refuses a wrong password with CONNACK 4 (bad username or password)', async () => {
    const b = await brokerWith({ gateway: CAVE_1 });
    const { gateway } = b.accounts;
    await expect(b.connect(gateway.username, 'wrong')).rejects.toMatchObject({ code: 4 });
    expect(b.server.stats().authFailures).toBe(1);
  });

  it('refuses a client without credentials or with an unknown username', async () => {
    const b = await brokerWith({ gateway: CAVE_1 });
    await expect(b.connect()).rejects.toMatchObject({ code: 4 });
    await expect(b.connect('svc.nobody', 'x')).rejects.toMatchObject({ code: 4 });
    expect(b.server.stats()).toMatchObject({ authFailures: 2, connections: 0 });
  });

  it('refuses to let one account take over another account’s client id', async () => {
    const b = await brokerWith({ cave1: CAVE_1, cave2: CAVE_2 });
    const { cave1, cave2 } = b.accounts;
    const first = await b.connect(cave1.username, cave1.password, 'shared-id');
    await vi.waitFor(() => expect(b.server.stats().connections).toBe(1));
    await expect(b.connect(cave2.username, cave2.password, 'shared-id')).rejects.toMatchObject({ code: 2 });
    expect(first.connected).toBe(true);
  });
});

describe('publish and subscribe rights', () => {
  it('delivers a gateway’s readings to a service subscriber', async () => {
    const b = await brokerWith({ gateway: CAVE_1, service: INGEST });
    const { gateway, service } = b.accounts;
    const ingest = await b.connect(service.username, service.password);
    expect(await subscribeGranted(ingest, 'fs/v1/+/+/readings')).toBe(1);
    const received = nextMessage(ingest, OWN_READINGS);
    const publisher = await b.connect(gateway.username, gateway.password);
    await publisher.publishAsync(OWN_READINGS, '{"v":1}', { qos: 1 });
    expect(await received).toBe('{"v":1}');
  });

  it('refuses a publish to another gateway’s topic by closing the connection, and counts it', async () => {
    const b = await brokerWith({ cave1: CAVE_1, cave2: CAVE_2, service: INGEST });
    const { cave1, cave2, service } = b.accounts;
    const ingest = await b.connect(service.username, service.password);
    const seen: string[] = [];
    ingest.on('message', (topic, payload) => seen.push(`${topic} ${payload.toString()}`));
    await subscribeGranted(ingest, 'fs/v1/#');

    const intruder = await b.connect(cave1.username, cave1.password);
    const disconnected = closed(intruder);
    let acknowledged = false;
    intruder.publish(OTHER_READINGS, 'forged', { qos: 1 }, (error) => {
      acknowledged = !error;
    });
    await disconnected;
    expect(acknowledged).toBe(false);
    expect(b.server.stats().publishDenied).toBe(1);
    const denial = b.logs.find((line) => line.includes('publish denied'));
    expect(denial).toContain(OTHER_READINGS);
    expect(denial).toContain(cave1.username);

    // The forged publish was refused before Aedes published it; the honest one arriving alone
    // shows nothing else went through.
    const real = nextMessage(ingest, OTHER_READINGS);
    const honest = await b.connect(cave2.username, cave2.password);
    await honest.publishAsync(OTHER_READINGS, 'real', { qos: 1 });
    expect(await real).toBe('real');
    expect(seen).toEqual([`${OTHER_READINGS} real`]);
  });

  it('refuses a QoS 0 publish outside the prefix the same way', async () => {
    const b = await brokerWith({ gateway: CAVE_1 });
    const { gateway } = b.accounts;
    const client = await b.connect(gateway.username, gateway.password);
    const disconnected = closed(client);
    client.publish('fs/v1/alerts/jinfo/co2', 'x', { qos: 0 });
    await disconnected;
    expect(b.server.stats().publishDenied).toBe(1);
  });

  it('answers SUBACK 0x80 to a gateway subscribing to fs/v1/# and keeps the connection', async () => {
    const b = await brokerWith({ gateway: CAVE_1 });
    const { gateway } = b.accounts;
    const client = await b.connect(gateway.username, gateway.password);
    expect(await subscribeGranted(client, 'fs/v1/#')).toBe(128);
    expect(await subscribeGranted(client, 'fs/v1/jinfo/cave-1/#')).toBe(1);
    expect(client.connected).toBe(true);
    expect(b.server.stats().subscribeDenied).toBe(1);
  });

  it('limits a subscriber to its scopes', async () => {
    const b = await brokerWith({ reader: JINFO_READER });
    const { reader } = b.accounts;
    const client = await b.connect(reader.username, reader.password);
    expect(await subscribeGranted(client, 'fs/v1/xuefeng/#')).toBe(128);
    expect(await subscribeGranted(client, 'fs/v1/jinfo/#')).toBe(1);
    expect(await subscribeGranted(client, 'fs/v1/alerts/jinfo/#')).toBe(1);
    expect(b.server.stats().subscribeDenied).toBe(1);
  });

  it('refuses an oversized publish, counts it once and delivers nothing', async () => {
    const b = await brokerWith({ gateway: CAVE_1, service: INGEST });
    const { gateway, service } = b.accounts;
    const ingest = await b.connect(service.username, service.password);
    const seen: string[] = [];
    ingest.on('message', (topic) => seen.push(topic));
    await subscribeGranted(ingest, 'fs/v1/#');
    const client = await b.connect(gateway.username, gateway.password);
    const disconnected = closed(client);
    client.publish(OWN_READINGS, Buffer.alloc(2 * MAX_PACKET_BYTES, 0x61), { qos: 1 });
    await disconnected;
    expect(b.server.stats()).toMatchObject({ oversized: 1, publishDenied: 0 });
    expect(b.logs.some((line) => line.includes('oversized packet: disconnecting'))).toBe(true);

    const small = nextMessage(ingest, OWN_READINGS);
    const again = await b.connect(gateway.username, gateway.password);
    await again.publishAsync(OWN_READINGS, 'small', { qos: 1 });
    expect(await small).toBe('small');
    expect(seen).toEqual([OWN_READINGS]);
  });
});

describe('credential changes while running', () => {
  it('lets a newly added account connect without a restart', async () => {
    const b = await brokerWith({ ingest: INGEST });
    const late = await b.add(CAVE_1);
    const client = await vi.waitFor(() => b.connect(late.username, late.password), { timeout: 5000 });
    expect(client.connected).toBe(true);
  });

  it('disconnects the live client of a removed account', async () => {
    const b = await brokerWith({ gateway: CAVE_1 });
    const { gateway } = b.accounts;
    const client = await b.connect(gateway.username, gateway.password);
    await vi.waitFor(() => expect(b.server.stats().connections).toBe(1));
    const disconnected = closed(client);
    await removeAccount(b.credentialsFile, gateway.username);
    await disconnected;
    await vi.waitFor(() => expect(b.server.stats().connections).toBe(0));
    await expect(b.connect(gateway.username, gateway.password)).rejects.toMatchObject({ code: 4 });
  });

  it('disconnects the live client of a rotated account and accepts the new secret', async () => {
    const b = await brokerWith({ gateway: CAVE_1 });
    const { gateway } = b.accounts;
    const client = await b.connect(gateway.username, gateway.password);
    await vi.waitFor(() => expect(b.server.stats().connections).toBe(1));
    const disconnected = closed(client);
    const rotated = await rotateAccount(b.credentialsFile, gateway.username);
    await disconnected;
    const fresh = await b.connect(rotated.username, rotated.password);
    expect(fresh.connected).toBe(true);
  });

  it('keeps the previous accounts when the file becomes invalid', async () => {
    const b = await brokerWith({ gateway: CAVE_1 });
    const { gateway } = b.accounts;
    await writeFile(b.credentialsFile, '{"version": 1, "accounts": [{"broken": true}]}');
    await vi.waitFor(
      () => expect(b.logs.some((line) => line.includes('credentials file not reloaded'))).toBe(true),
      { timeout: 5000 },
    );
    const again = await b.connect(gateway.username, gateway.password);
    expect(again.connected).toBe(true);
  });
});
