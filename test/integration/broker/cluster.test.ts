import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { connect, connectAsync, type IClientOptions, type IConnackPacket, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { addAccount, type IssuedCredentials } from '../../../broker/accounts/account-store.js';
import { BrokerServer } from '../../../broker/broker-server.js';
import { freePort } from '../../../influx/index.js';
import { gatewayTopic } from '../../../protocol/index.js';
import { startTestRedis, type TestRedis } from '../../harness/redis.js';
import { nextMessage } from './broker-fixture.js';

// Two broker nodes sharing one real redis-server (persistence and emitter) and one credentials
// file, as behind a TCP load balancer: a client may land on either node.

const READINGS = gatewayTopic({ station: 'jinfo', gateway: 'cave-1' }, 'readings');
const STATUS = gatewayTopic({ station: 'jinfo', gateway: 'cave-1' }, 'status');
const KEY_PREFIX = 'fs-test:';

interface Node {
  server: BrokerServer;
  port: number;
}

let redis: TestRedis;
let dir: string;
let credentialsFile: string;
let gateway: IssuedCredentials;
let ingest: IssuedCredentials;
const nodes: Node[] = [];
const clients: MqttClient[] = [];

async function startNode(): Promise<Node> {
  const server = new BrokerServer({
    config: {
      host: '127.0.0.1',
      port: 0,
      credentialsFile,
      persistence: { type: 'redis', url: redis.url, keyPrefix: KEY_PREFIX },
    },
    logger: pino({ level: 'silent' }),
  });
  const { port } = await server.start();
  const node = { server, port };
  nodes.push(node);
  return node;
}

function options(account: IssuedCredentials, clientId?: string, clean = true): IClientOptions {
  return { ...account, clientId, clean, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000 };
}

async function connectTo(
  node: Node,
  account: IssuedCredentials,
  clientId?: string,
  clean = true,
): Promise<MqttClient> {
  const client = await connectAsync(`mqtt://127.0.0.1:${node.port}`, options(account, clientId, clean));
  clients.push(client);
  return client;
}

/** How many other clients Redis serves, and then an empty store for the next test. */
async function otherRedisClientsThenFlush(): Promise<number> {
  const probe = new Redis(redis.url);
  try {
    const list = String(await probe.client('LIST'))
      .trim()
      .split('\n');
    await probe.flushall();
    return list.length - 1;
  } finally {
    probe.disconnect();
  }
}

beforeAll(async () => {
  redis = await startTestRedis();
  dir = await mkdtemp(join(tmpdir(), 'fs-cluster-'));
  credentialsFile = join(dir, 'accounts.json');
  gateway = await addAccount(credentialsFile, { kind: 'gateway', station: 'jinfo', gateway: 'cave-1' });
  ingest = await addAccount(credentialsFile, { kind: 'service', name: 'ingest' });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.endAsync(true)));
  await Promise.all(nodes.splice(0).map((node) => node.server.stop()));
  // Each node's three Redis connections are gone: only the probe's own remains.
  expect(await otherRedisClientsThenFlush()).toBe(0);
});

afterAll(async () => {
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('two broker nodes sharing Redis', () => {
  it('carries a gateway’s publish on one node to a subscriber on the other, both ways', async () => {
    const [a, b] = [await startNode(), await startNode()];
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      const subscriber = await connectTo(to, ingest);
      await subscriber.subscribeAsync('fs/v1/+/+/readings', { qos: 1 });
      const received = nextMessage(subscriber, READINGS);
      const publisher = await connectTo(from, gateway);
      await publisher.publishAsync(READINGS, `from ${from.port}`, { qos: 1 });
      expect(await received).toBe(`from ${from.port}`);
    }
  });

  it('delivers a message retained on one node to a new subscriber on the other', async () => {
    const [a, b] = [await startNode(), await startNode()];
    const publisher = await connectTo(a, gateway);
    await publisher.publishAsync(STATUS, '{"state":"online"}', { qos: 1, retain: true });
    // A live subscriber on A receiving it proves A has stored it (Aedes stores before it forwards).
    const witness = await connectTo(a, ingest);
    const stored = nextMessage(witness, STATUS);
    await witness.subscribeAsync(STATUS, { qos: 1 });
    await stored;

    const reader = await connectTo(b, ingest);
    const status = nextMessage(reader, STATUS);
    await reader.subscribeAsync(STATUS, { qos: 1 });
    expect(await status).toBe('{"state":"online"}');
  });

  it('keeps a persistent session’s queue when the node it used is lost', async () => {
    const [a, b] = [await startNode(), await startNode()];
    const subscriber = await connectTo(a, ingest, 'fs-ingest', false);
    await subscriber.subscribeAsync('fs/v1/+/+/readings', { qos: 1 });
    await subscriber.endAsync();

    const publisher = await connectTo(b, gateway);
    const sent = ['1', '2', '3', '4', '5'];
    for (const payload of sent) await publisher.publishAsync(READINGS, payload, { qos: 1 });
    await a.server.stop();

    const received: string[] = [];
    const resumed = connect(`mqtt://127.0.0.1:${b.port}`, options(ingest, 'fs-ingest', false));
    clients.push(resumed);
    const connack = new Promise<IConnackPacket>((resolve) => resumed.once('connect', resolve));
    resumed.on('message', (_topic, payload) => received.push(payload.toString()));
    expect((await connack).sessionPresent).toBe(true);
    await vi.waitFor(() => expect(received).toEqual(sent));
  });

  it('lets the ingest’s service account connect to either node', async () => {
    for (const node of [await startNode(), await startNode()]) {
      const client = await connectTo(node, ingest, `fs-ingest-${node.port}`);
      expect(client.connected).toBe(true);
    }
  });
});

describe('client ids of kept sessions on two broker nodes', () => {
  it('refuses another account on node 2 the id of a session kept on node 1, and gives the owner its session there', async () => {
    const [a, b] = [await startNode(), await startNode()];
    const owner = await connectTo(a, ingest, 'fs-ingest', false);
    await owner.subscribeAsync('fs/v1/+/+/readings', { qos: 1 });
    await owner.endAsync();
    await vi.waitFor(() => expect(a.server.stats().connections).toBe(0));

    for (const clean of [false, true]) {
      await expect(connectTo(b, gateway, 'fs-ingest', clean)).rejects.toMatchObject({ code: 2 });
    }
    expect(b.server.stats()).toMatchObject({ clientIdRefused: 2, keptSessions: 1 });

    const resumed = connect(`mqtt://127.0.0.1:${b.port}`, options(ingest, 'fs-ingest', false));
    clients.push(resumed);
    const connack = new Promise<IConnackPacket>((resolve) => resumed.once('connect', resolve));
    expect((await connack).sessionPresent).toBe(true);
  });

  it('lets exactly one of two accounts racing for a fresh client id on two nodes claim it', async () => {
    const [a, b] = [await startNode(), await startNode()];
    const contenders = [
      { node: a, account: ingest },
      { node: b, account: gateway },
    ];
    for (const clientId of ['fresh-1', 'fresh-2', 'fresh-3', 'fresh-4', 'fresh-5']) {
      const results = await Promise.allSettled(
        contenders.map(({ node, account }) => connectTo(node, account, clientId, false)),
      );
      const winners = contenders.filter((_, n) => results[n]?.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      expect(results.find((result) => result.status === 'rejected')?.reason).toMatchObject({ code: 2 });
      const probe = new Redis(redis.url, { keyPrefix: KEY_PREFIX });
      try {
        expect(await probe.hget('session-owners', clientId)).toBe(winners[0]?.account.username);
      } finally {
        probe.disconnect();
      }
    }
  });
});

describe('live client ids on two broker nodes', () => {
  it('refuses another account the client id of a clean session live on the other node, either way (CONNACK 0x02)', async () => {
    const [a, b] = [await startNode(), await startNode()];
    const holders = [await connectTo(a, ingest, 'live-1'), await connectTo(b, gateway, 'live-2')];
    await expect(connectTo(b, gateway, 'live-1')).rejects.toMatchObject({ code: 2 });
    await expect(connectTo(a, ingest, 'live-2')).rejects.toMatchObject({ code: 2 });
    expect(a.server.stats()).toMatchObject({ clientIdRefused: 1, keptSessions: 0 });
    expect(b.server.stats()).toMatchObject({ clientIdRefused: 1, keptSessions: 0 });
    // Refused, not taken over: the holders are still connected.
    for (const holder of holders) {
      const echoed = nextMessage(holder, READINGS);
      await holder.subscribeAsync(READINGS, { qos: 1 });
      const publisher = await connectTo(a, gateway, `publisher-${holders.indexOf(holder)}`);
      await publisher.publishAsync(READINGS, 'still here', { qos: 1 });
      expect(await echoed).toBe('still here');
    }
  });

  it('lets the holder’s account take the id over on the other node, and frees it when the holder leaves', async () => {
    const [a, b] = [await startNode(), await startNode()];
    const first = await connectTo(a, ingest, 'moving');
    const firstClosed = new Promise<void>((resolve) => first.once('close', () => resolve()));
    const moved = await connectTo(b, ingest, 'moving');
    await firstClosed;
    // The closing connection on node A must not free the id node B's connection holds.
    await expect(connectTo(a, gateway, 'moving')).rejects.toMatchObject({ code: 2 });
    await moved.endAsync();
    await vi.waitFor(() => expect(b.server.stats().connections).toBe(0));
    const next = await connectTo(a, gateway, 'moving');
    expect(next.connected).toBe(true);
  });
});

describe('a broker whose Redis is unreachable', () => {
  it('stops without waiting for a Redis that went away while it ran', async () => {
    const lost = await startTestRedis();
    const server = new BrokerServer({
      config: { host: '127.0.0.1', port: 0, credentialsFile, persistence: { type: 'redis', url: lost.url } },
      logger: pino({ level: 'silent' }),
    });
    try {
      await server.start();
      await lost.stop();
      await server.stop();
    } finally {
      await lost.stop();
    }
  });

  it('fails to start with REDIS_UNREACHABLE, naming the URL without its password', async () => {
    const url = `redis://:hunter2@127.0.0.1:${await freePort()}`;
    const server = new BrokerServer({
      config: { host: '127.0.0.1', port: 0, credentialsFile, persistence: { type: 'redis', url } },
      logger: pino({ level: 'silent' }),
    });
    const failure = server.start();
    await expect(failure).rejects.toMatchObject({
      name: 'BrokerError',
      code: 'REDIS_UNREACHABLE',
      message: expect.stringContaining('redis://:***@127.0.0.1:'),
    });
    await expect(failure).rejects.not.toMatchObject({ message: expect.stringContaining('hunter2') });
  });
});
