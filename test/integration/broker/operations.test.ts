import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connectAsync, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AccountSpec } from '../../../broker/accounts/account-schema.js';
import { addAccount, type IssuedCredentials } from '../../../broker/accounts/account-store.js';
import { BrokerServer } from '../../../broker/broker-server.js';
import { brokerHealth } from '../../../broker/operations/health.js';
import { OperationsHttpServer } from '../../../broker/operations/operations-http.js';
import { closed, nextMessage, subscribeGranted } from './broker-fixture.js';

const run = promisify(execFile);
const STATS_INTERVAL_MS = 200;

const ACCOUNTS = {
  gateway: { kind: 'gateway', station: 'jinfo', gateway: 'cave-1' },
  service: { kind: 'service', name: 'ingest' },
  operator: { kind: 'subscriber', name: 'ops', scopes: ['operator'] },
  reader: { kind: 'subscriber', name: 'archive', scopes: ['all'] },
} as const satisfies Record<string, AccountSpec>;
type AccountKey = keyof typeof ACCOUNTS;

let dir: string;
let broker: BrokerServer;
let mqttPort: number;
let httpBase: string;
const accounts = {} as Record<AccountKey, IssuedCredentials>;
const clients: MqttClient[] = [];

async function connect(key: AccountKey): Promise<MqttClient> {
  const { username, password } = accounts[key];
  const client = await connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
    username,
    password,
    clientId: `${username}-${clients.length}`,
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  clients.push(client);
  return client;
}

/** The value of an unlabelled sample in the exposition text; undefined when absent. */
function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

async function scrape(): Promise<string> {
  const response = await fetch(`${httpBase}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return response.text();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-broker-ops-'));
  const credentialsFile = join(dir, 'accounts.json');
  for (const [key, spec] of Object.entries(ACCOUNTS) as [AccountKey, AccountSpec][]) {
    accounts[key] = await addAccount(credentialsFile, spec);
  }
  broker = new BrokerServer({
    config: {
      host: '127.0.0.1',
      port: 0,
      credentialsFile,
      http: { host: '127.0.0.1', port: 0 },
      sysStatsIntervalMs: STATS_INTERVAL_MS,
    },
    logger: pino({ level: 'silent' }),
  });
  mqttPort = (await broker.start()).port;
  const http = broker.httpAddress;
  if (http === undefined) throw new Error('the operations endpoint did not start');
  httpBase = `http://127.0.0.1:${http.port}`;
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.endAsync(true)));
  await broker?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('/healthz and /metrics on the broker', () => {
  it('answers /healthz with 200 and JSON while the MQTT listener is up', async () => {
    const response = await fetch(`${httpBase}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      listeners: [{ name: 'mqtt', listening: true }],
      brokerId: expect.any(String),
    });
  });

  it('answers 503 when a listener is down', async () => {
    const server = new OperationsHttpServer({
      host: '127.0.0.1',
      port: 0,
      logger: pino({ level: 'silent' }),
      endpoints: {
        metrics: () => '',
        health: () =>
          brokerHealth({
            brokerId: 'b',
            listeners: [{ name: 'mqtt', listening: false }],
            connections: 0,
            startedAtMs: 0,
            nowMs: 0,
          }),
      },
    });
    const { port } = await server.start();
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: 'unavailable' });
    } finally {
      await server.stop();
    }
  });

  it('counts messages in and out, and a denied publish, as they happen', async () => {
    const before = await scrape();
    expect(sample(before, 'fieldstation_broker_publish_denied_total')).toBe(0);
    expect(before).toContain('# TYPE fieldstation_broker_messages_in_total counter');
    const service = await connect('service');
    await subscribeGranted(service, 'fs/v1/jinfo/cave-1/readings');
    const gateway = await connect('gateway');
    const received = nextMessage(service, 'fs/v1/jinfo/cave-1/readings');
    await gateway.publishAsync('fs/v1/jinfo/cave-1/readings', '{"v":1,"seq":1,"readings":[]}', { qos: 1 });
    await received;

    // Another gateway's topic: Aedes closes the connection of a refused PUBLISH.
    const gone = closed(gateway);
    gateway.publish('fs/v1/jinfo/cave-2/readings', '{}', { qos: 1 });
    await gone;

    const after = await scrape();
    expect(sample(after, 'fieldstation_broker_publish_denied_total')).toBe(1);
    const messagesIn = sample(after, 'fieldstation_broker_messages_in_total') ?? 0;
    expect(messagesIn - (sample(before, 'fieldstation_broker_messages_in_total') ?? 0)).toBe(1);
    expect(sample(after, 'fieldstation_broker_messages_out_total')).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'fieldstation_broker_messages_in_per_second')).toBeGreaterThan(0);
    expect(sample(after, 'fieldstation_broker_connections')).toBeGreaterThanOrEqual(1);
    await vi.waitFor(async () =>
      expect(sample(await scrape(), 'fieldstation_broker_retained_messages')).toBe(0),
    );
  });
});

describe('$SYS is for operators', () => {
  it('lets an operator read $SYS/<id>/stats and client events, and nobody else subscribe', async () => {
    const operator = await connect('operator');
    expect(await subscribeGranted(operator, '$SYS/#')).toBe(1);
    const stats = new Promise<Record<string, unknown>>((resolve) => {
      operator.on('message', (topic, payload) => {
        if (/^\$SYS\/[^/]+\/stats$/.test(topic)) resolve(JSON.parse(payload.toString()));
      });
    });
    expect(await stats).toMatchObject({ connections: expect.any(Number), messagesIn: expect.any(Number) });
    const newClient = new Promise<string>((resolve) => {
      operator.on('message', (topic, payload) => {
        if (/^\$SYS\/[^/]+\/new\/clients$/.test(topic)) resolve(payload.toString());
      });
    });
    const reader = await connect('reader');
    expect(await newClient).toBe(reader.options.clientId);
    expect(await subscribeGranted(operator, 'fs/v1/#')).toBe(128);

    for (const key of ['service', 'reader', 'gateway'] as const) {
      const client = key === 'reader' ? reader : await connect(key);
      expect(await subscribeGranted(client, '$SYS/#'), key).toBe(128);
      expect(await subscribeGranted(client, '$SYS/+/heartbeat'), key).toBe(128);
    }
  });

  it('refuses a publish to $SYS, even an operator’s', async () => {
    const denied = Number(sample(await scrape(), 'fieldstation_broker_publish_denied_total'));
    const operator = await connect('operator');
    const gone = closed(operator);
    operator.publish('$SYS/fake/heartbeat', 'x', { qos: 1 });
    await gone;
    expect(sample(await scrape(), 'fieldstation_broker_publish_denied_total')).toBe(denied + 1);
  });

  it('works with Debian mosquitto_sub: the operator reads $SYS, a service account is refused', async () => {
    const args = (key: AccountKey) =>
      [
        [
          '-h',
          '127.0.0.1',
          '-p',
          String(mqttPort),
          '-u',
          accounts[key].username,
          '-P',
          accounts[key].password,
        ],
        ['-t', '$SYS/#', '-v', '-C', '1', '-W', '10'],
      ].flat();
    const { stdout } = await run('mosquitto_sub', args('operator'), { timeout: 15_000 });
    expect(stdout).toMatch(/^\$SYS\/\S+\/\S+/);

    // mosquitto_sub 2.0 reports a refused SUBACK (0x80) on stderr and exits 0.
    const refused = await run('mosquitto_sub', args('service'), { timeout: 15_000 });
    expect(refused.stderr).toMatch(/All subscription requests were denied/);
    expect(refused.stdout).toBe('');
  });
});
