import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type IssuedCredentials, provisionAccount } from '../../../broker/index.js';
import { BrokerThread } from '../../../broker/thread/broker-thread.js';
import { LogRecorder } from '../../harness/log-recorder.js';

const READINGS = 'fs/v1/jinfo/cave-1/readings';
const PAYLOAD = '{"v":1,"seq":1,"readings":[]}';

let dir: string;
let credentialsFile: string;
let logs: LogRecorder;
let broker: BrokerThread | undefined;
const clients: MqttClient[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-broker-thread-'));
  credentialsFile = join(dir, 'accounts.json');
  logs = new LogRecorder();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.endAsync(true)));
  await broker?.stop();
  broker = undefined;
  await rm(dir, { recursive: true, force: true });
});

function startThread(script?: URL): BrokerThread {
  broker = new BrokerThread({
    config: {
      host: '127.0.0.1',
      port: 0,
      credentialsFile,
      persistence: { type: 'journal', dir: join(dir, 'journal') },
    },
    logger: logs.logger(),
    ...(script === undefined ? {} : { script }),
  });
  return broker;
}

async function connect(port: number, credentials: IssuedCredentials): Promise<MqttClient> {
  const client = await connectAsync(`mqtt://127.0.0.1:${port}`, {
    ...credentials,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 5000,
  });
  clients.push(client);
  return client;
}

async function gauge(thread: BrokerThread, name: string): Promise<number | undefined> {
  return (await thread.collect()).find((family) => family.name === name)?.samples[0]?.value;
}

describe('BrokerThread', () => {
  it('runs the broker on its own thread: accounts, publish/subscribe, reloads, metrics, stop', async () => {
    const gateway = await provisionAccount(credentialsFile, {
      kind: 'gateway',
      station: 'jinfo',
      gateway: 'cave-1',
    });
    const thread = startThread();
    const { port } = await thread.start();
    expect(await gauge(thread, 'fieldstation_broker_connections')).toBe(0);
    // The thread's log lines reach the parent's logger, with its level and bindings.
    await logs.waitFor('broker listening', (record) => record.port === port);

    // An account made while the broker runs is taken at once on reloadCredentials().
    const ingest = await provisionAccount(credentialsFile, { kind: 'service', name: 'ingest' });
    await thread.reloadCredentials();
    const subscriber = await connect(port, ingest);
    await subscriber.subscribeAsync(READINGS, { qos: 1 });
    const received = new Promise<string>((resolve) =>
      subscriber.once('message', (_topic, payload) => resolve(payload.toString())),
    );
    const publisher = await connect(port, gateway);
    await publisher.publishAsync(READINGS, PAYLOAD, { qos: 1 });
    expect(await received).toBe(PAYLOAD);

    // Asked of the thread at each collect, so they move without a report period to wait for.
    await vi.waitFor(async () => expect(await gauge(thread, 'fieldstation_broker_connections')).toBe(2), {
      timeout: 10_000,
      interval: 20,
    });
    expect(await gauge(thread, 'fieldstation_broker_messages_in_total')).toBe(1);

    const closed = new Promise<void>((resolve) => publisher.once('close', () => resolve()));
    await thread.stop();
    await closed;
    await expect(thread.reloadCredentials()).rejects.toThrow(/not running/);
    expect(await thread.collect()).toEqual([]);
    await expect(Promise.race([thread.failed, Promise.resolve('not failed')])).resolves.toBe('not failed');
  });

  it('rejects start with the broker’s own error when it cannot listen', async () => {
    const first = startThread();
    const { port } = await first.start();
    const second = new BrokerThread({
      config: { host: '127.0.0.1', port, credentialsFile },
      logger: logs.logger(),
    });
    await expect(second.start()).rejects.toThrow(/EADDRINUSE/);
    await second.stop();
  });

  it('settles `failed` with a clear error when the thread dies while the broker runs', async () => {
    const thread = startThread(new URL('./crashing-broker-worker.ts', import.meta.url));
    await thread.start();
    await expect(thread.reloadCredentials()).rejects.toThrow(/broker thread/);
    const error = await thread.failed;
    expect(error.message).toMatch(/the broker thread failed: the broker fell over \(test\)/);
    expect(logs.find('the broker thread failed')).toBeDefined();
    await thread.stop();
  });
});
