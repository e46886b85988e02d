import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { provisionAccount } from '../../../broker/accounts/account-store.js';
import { BrokerServer } from '../../../broker/broker-server.js';
import type { BrokerConfigInput } from '../../../broker/config.js';
import { startTestRedis, type TestRedis } from '../../harness/redis.js';

// With a store on disk or in Redis, QoS 1 publishes from several gateways are written to the store
// concurrently; a persistent subscriber (the ingest) must still receive each one, once, and each
// gateway's in the order it sent them.

const MESSAGES = 3000;
const PUBLISHERS = 4;
const WINDOW = 10;

let dir: string | undefined;
let redis: TestRedis | undefined;
let broker: BrokerServer | undefined;
const clients: MqttClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.endAsync(true)));
  await broker?.stop();
  broker = undefined;
  await redis?.stop();
  redis = undefined;
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A subscriber that takes a moment per message, as the ingest does while it writes to InfluxDB. */
function slowly(client: MqttClient, received: string[]): void {
  const handled = client as MqttClient & {
    handleMessage(packet: { payload: Buffer }, done: () => void): void;
  };
  handled.handleMessage = (packet, done) => {
    received.push(packet.payload.toString());
    setImmediate(done);
  };
}

/** Each publisher's messages in the order the subscriber got them: `${publisher}:${seq}`. */
function perPublisher(received: readonly string[]): Map<string, number[]> {
  const streams = new Map<string, number[]>();
  for (const message of received) {
    const [publisher = '', seq = ''] = message.split(':');
    streams.set(publisher, [...(streams.get(publisher) ?? []), Number(seq)]);
  }
  return streams;
}

async function busyStream(
  persistence: (dir: string) => Promise<BrokerConfigInput['persistence']>,
): Promise<void> {
  dir = await mkdtemp(join(tmpdir(), 'fs-busy-'));
  const credentialsFile = join(dir, 'accounts.json');
  const ingest = await provisionAccount(credentialsFile, { kind: 'service', name: 'ingest' });
  const gateways = await Promise.all(
    Array.from({ length: PUBLISHERS }, (_, index) =>
      provisionAccount(credentialsFile, { kind: 'gateway', station: 'jinfo', gateway: `gw-${index}` }),
    ),
  );
  broker = new BrokerServer({
    config: {
      host: '127.0.0.1',
      port: 0,
      credentialsFile,
      persistence: await persistence(dir),
      limits: { messageRate: { perSecond: 1e6, burst: 1e6 } },
    },
    logger: pino({ level: process.env.FS_TEST_LOG ?? 'silent' }),
  });
  const { port } = await broker.start();
  const url = `mqtt://127.0.0.1:${port}`;
  const subscriber = await connectAsync(url, {
    ...ingest,
    clientId: 'fs-ingest',
    clean: false,
    protocolVersion: 4,
  });
  clients.push(subscriber);
  const received: string[] = [];
  slowly(subscriber, received);
  await subscriber.subscribeAsync('fs/v1/+/+/readings', { qos: 1 });

  const sent: string[] = [];
  await Promise.all(
    gateways.map(async (account, index) => {
      const publisher = await connectAsync(url, { ...account, clientId: `gw-${index}`, protocolVersion: 4 });
      clients.push(publisher);
      const topic = `fs/v1/jinfo/gw-${index}/readings`;
      let next = 0;
      const lanes = Array.from({ length: WINDOW }, async () => {
        while (next < MESSAGES / PUBLISHERS) {
          const payload = `${index}:${next++}`;
          sent.push(payload);
          await publisher.publishAsync(topic, payload, { qos: 1 });
        }
      });
      await Promise.all(lanes);
    }),
  );
  await vi.waitFor(() => expect(received.length).toBeGreaterThanOrEqual(MESSAGES), {
    timeout: 30_000,
    interval: 100,
  });
  expect([...received].sort()).toEqual(sent.sort());
  // MQTT keeps one publisher's messages on one topic in order ([MQTT-4.6.0-5]).
  for (const [publisher, seqs] of perPublisher(received)) {
    expect(seqs, `publisher ${publisher}`).toEqual([...seqs].sort((a, b) => a - b));
  }
}

describe('a persistent subscriber under a busy stream of QoS 1 messages', () => {
  it('receives every message with the disk store', async () => {
    await busyStream(async (base) => ({ type: 'disk', dir: join(base, 'store') }));
  });

  it('receives every message with the Redis store', async () => {
    await busyStream(async () => {
      redis = await startTestRedis();
      return { type: 'redis', url: redis.url, keyPrefix: 'busy:' };
    });
  });
});
