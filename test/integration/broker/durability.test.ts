import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, connectAsync, type IClientOptions, type IConnackPacket, type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../../influx/index.js';
import { gatewayTopic } from '../../../protocol/index.js';
import { CliProcess, cleanEnv, runCli } from '../../harness/cli-process.js';
import { nextMessage } from './broker-fixture.js';

// `fieldstation broker` as a child process with each store on disk (the journal, its default, and
// LevelDB), killed with SIGKILL: what it acknowledged before dying must still be there when it comes
// back on the same data dir.

const READINGS = gatewayTopic({ station: 'jinfo', gateway: 'cave-1' }, 'readings');
const STATUS = gatewayTopic({ station: 'jinfo', gateway: 'cave-1' }, 'status');
const SUBSCRIBER_ID = 'fs-ingest-durable';
const JUST_CLAIMED_ID = 'fs-ingest-just-claimed';
const MESSAGES = 50;

interface Credentials {
  username: string;
  password: string;
}

/** The stores on disk, with the directory `fieldstation broker` keeps each in under DATA_DIR/broker. */
const STORES = [
  { persistence: 'journal', dir: 'journal' },
  { persistence: 'disk', dir: 'store' },
] as const;

/** Each test starts four CLI processes through tsx one after the other: seconds each on a busy machine. */
const TIMEOUT_MS = 180_000;

let dir: string;
let port: number;
let store: (typeof STORES)[number];
let broker: CliProcess | undefined;
const clients: MqttClient[] = [];

function env(): NodeJS.ProcessEnv {
  return cleanEnv({
    FS_DATA_DIR: join(dir, 'data'),
    FS_MQTT_HOST: '127.0.0.1',
    FS_MQTT_PORT: String(port),
    FS_LOG_LEVEL: 'info',
    FS_BROKER_PERSISTENCE: store.persistence,
  });
}

async function addAccount(...spec: string[]): Promise<Credentials> {
  const result = await runCli(['account', 'add', ...spec, '--json'], env());
  expect(result).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(result.stdout) as Credentials;
}

async function startBroker(): Promise<CliProcess> {
  const started = CliProcess.start(['broker'], env());
  broker = started;
  await started.waitForLog('broker listening');
  return started;
}

function options(account: Credentials, clientId: string, clean: boolean): IClientOptions {
  return { ...account, clientId, clean, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000 };
}

async function connectClient(account: Credentials, clientId: string, clean = true): Promise<MqttClient> {
  const client = await connectAsync(`mqtt://127.0.0.1:${port}`, options(account, clientId, clean));
  clients.push(client);
  return client;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-durability-'));
  port = await freePort();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.endAsync(true)));
  await broker?.kill();
  broker = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe.each(STORES)('fieldstation broker with $persistence persistence, killed with SIGKILL', (tested) => {
  beforeEach(() => {
    store = tested;
  });

  it(
    'delivers every QoS 1 message queued for an offline persistent session, and keeps retained messages',
    async () => {
      const ingest = await addAccount('--kind', 'service', '--name', 'ingest');
      const gateway = await addAccount('--kind', 'gateway', '--station', 'jinfo', '--gateway', 'cave-1');
      const first = await startBroker();

      const subscriber = await connectClient(ingest, SUBSCRIBER_ID, false);
      await subscriber.subscribeAsync('fs/v1/+/+/readings', { qos: 1 });
      await subscriber.endAsync();

      // Killed right after the last PUBACK: an acknowledged message must already be on disk.
      const publisher = await connectClient(gateway, 'cave-1');
      const sent = Array.from({ length: MESSAGES }, (_, seq) => JSON.stringify({ v: 1, seq, readings: [] }));
      for (const payload of sent) await publisher.publishAsync(READINGS, payload, { qos: 1 });
      await publisher.publishAsync(STATUS, '{"state":"online"}', { qos: 1, retain: true });

      first.signal('SIGKILL');
      expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });
      await startBroker();

      const received: string[] = [];
      const resumed = connect(`mqtt://127.0.0.1:${port}`, options(ingest, SUBSCRIBER_ID, false));
      clients.push(resumed);
      const connack = new Promise<IConnackPacket>((resolve) => resumed.once('connect', resolve));
      resumed.on('message', (_topic, payload) => received.push(payload.toString()));
      expect((await connack).sessionPresent).toBe(true);
      await vi.waitFor(() => expect(received).toHaveLength(MESSAGES), { timeout: 10_000 });
      expect(received).toEqual(sent);

      const reader = await connectClient(ingest, 'status-reader');
      const status = nextMessage(reader, STATUS);
      await reader.subscribeAsync(STATUS, { qos: 1 });
      expect(await status).toBe('{"state":"online"}');
    },
    TIMEOUT_MS,
  );

  it(
    'keeps each kept session’s client id for the account that created it across the kill',
    async () => {
      const ingest = await addAccount('--kind', 'service', '--name', 'ingest');
      const other = await addAccount('--kind', 'service', '--name', 'archive');
      const first = await startBroker();
      const owner = await connectClient(ingest, SUBSCRIBER_ID, false);
      await owner.subscribeAsync('fs/v1/+/+/readings', { qos: 1 });
      // Killed right after a CONNACK: the claim it answered must already be on disk.
      await connectClient(ingest, JUST_CLAIMED_ID, false);
      first.signal('SIGKILL');
      expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });

      const ownersFile = join(dir, 'data', 'broker', `${store.dir}.session-owners.json`);
      expect(JSON.parse(await readFile(ownersFile, 'utf8'))).toMatchObject({
        owners: expect.arrayContaining([
          { clientId: SUBSCRIBER_ID, owner: ingest.username },
          { clientId: JUST_CLAIMED_ID, owner: ingest.username },
        ]),
      });
      const second = await startBroker();
      for (const clientId of [SUBSCRIBER_ID, JUST_CLAIMED_ID]) {
        for (const clean of [false, true]) {
          await expect(connectClient(other, clientId, clean)).rejects.toMatchObject({ code: 2 });
        }
      }
      await second.waitForLog('connection refused', (record) => record.owner === ingest.username);

      const resumed = connect(`mqtt://127.0.0.1:${port}`, options(ingest, SUBSCRIBER_ID, false));
      clients.push(resumed);
      const connack = new Promise<IConnackPacket>((resolve) => resumed.once('connect', resolve));
      expect((await connack).sessionPresent).toBe(true);
    },
    TIMEOUT_MS,
  );
});
