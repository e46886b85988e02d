import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { gatewayTopic } from '../../../protocol/index.js';
import { ApiClient } from '../../harness/api-client.js';
import { CliProcess, cleanEnv, runCli } from '../../harness/cli-process.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';
import type { LogRecord } from '../../harness/log-recorder.js';
import { mosquittoPub } from '../../harness/mosquitto.js';

// What a hostile or broken gateway can send to a running `fieldstation up` (a child process, as a
// station runs it), published with Debian's mosquitto_pub or a plain MQTT client: none of it may
// stop the ingest for the other gateways, and what is kept of it is bounded.

const POISONER = { station: 'jinfo', gateway: 'poison-gw' };
const HONEST = { station: 'xuefeng', gateway: 'honest-gw' };

let dir: string;
let influx: TestInflux;
let up: CliProcess;
let api: ApiClient;
let mqttPort: number;
const accounts: Record<string, { username: string; password: string }> = {};

async function addGateway(address: { station: string; gateway: string }, credentialsFile: string) {
  const args = ['account', 'add', '--kind', 'gateway', '--station', address.station];
  const result = await runCli(
    [...args, '--gateway', address.gateway, '--json', '--credentials-file', credentialsFile],
    cleanEnv(),
  );
  expect(result.code).toBe(0);
  accounts[address.gateway] = JSON.parse(result.stdout);
}

function batch(seq: number, readings: readonly Record<string, unknown>[]): string {
  return JSON.stringify({ v: 1, seq, readings });
}

function publish(address: typeof POISONER, message: string) {
  const credentials = accounts[address.gateway];
  if (credentials === undefined) throw new Error(`no account for ${address.gateway}`);
  const topic = gatewayTopic(address, 'readings');
  return mosquittoPub({ port: mqttPort, ...credentials, topic, message, qos: 1 });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-poison-'));
  influx = await startTestInflux('fs_poison');
  const credentialsFile = join(dir, 'data', 'broker', 'accounts.json');
  await addGateway(POISONER, credentialsFile);
  await addGateway(HONEST, credentialsFile);
  up = CliProcess.start(
    ['up'],
    cleanEnv({
      FS_DATA_DIR: join(dir, 'data'),
      FS_MQTT_HOST: '127.0.0.1',
      FS_MQTT_PORT: '0',
      FS_HTTP_HOST: '127.0.0.1',
      FS_HTTP_PORT: '0',
      FS_INFLUX_URL: influx.config.url,
      FS_INFLUX_DATABASE: influx.config.database,
      FS_LOG_LEVEL: 'info',
      FS_MAX_SERIES_PER_GATEWAY: '50',
    }),
  );
  const ready = (await up.waitForLog('station server ready')) as LogRecord & {
    mqtt: { port: number };
    http: { port: number };
  };
  mqttPort = ready.mqtt.port;
  // Without any key, up says how to make the first one; the running API accepts it at once.
  await vi.waitFor(() => expect(up.stderr).toContain('No API key exists yet'));
  const command = /fieldstation (apikey add .*)\n/.exec(up.stderr)?.[1]?.split(' ') ?? [];
  expect(command).toEqual([
    'apikey',
    'add',
    '--role',
    'admin',
    '--name',
    'admin',
    '--data-dir',
    join(dir, 'data'),
  ]);
  const keyResult = await runCli([...command, '--json'], cleanEnv());
  expect(keyResult.code).toBe(0);
  const { key } = JSON.parse(keyResult.stdout) as { key: string };
  api = new ApiClient(`http://127.0.0.1:${ready.http.port}`, key);
}, 120_000);

afterAll(async () => {
  await up?.kill();
  await influx?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('poison messages against a running station server', () => {
  it('a 20,000-level nested `v` is quarantined, and another gateway is stored within 2 s after it', async () => {
    const nested = `{"v":${'['.repeat(20_000)}1${']'.repeat(20_000)},"seq":1,"readings":[]}`;
    expect((await publish(POISONER, nested)).code).toBe(0);
    const time = Date.now() - 1000;
    const sentAt = Date.now();
    const valid = batch(1, [{ sensor: 'ice-1', quantity: 'ice-thickness', unit: 'mm', value: 3.5, time }]);
    expect((await publish(HONEST, valid)).code).toBe(0);
    await vi.waitFor(
      async () =>
        expect(await influx.rows(`SELECT value FROM reading WHERE gateway = 'honest-gw'`)).toEqual([
          expect.objectContaining({ value: 3.5 }),
        ]),
      { timeout: 2000, interval: 25 },
    );
    expect(Date.now() - sentAt).toBeLessThan(2000 + 1000);
    const records = await api.quarantine();
    expect(records).toContainEqual(
      expect.objectContaining({
        code: 'PAYLOAD_TOO_DEEP',
        gateway: 'poison-gw',
        bytes: Buffer.byteLength(nested),
      }),
    );
  });

  it('a 1 MB string in `v` leaves a quarantine record of bounded size', async () => {
    const credentials = accounts[POISONER.gateway];
    const client = await connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
      ...credentials,
      clientId: 'poison-gw-big',
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    try {
      const payload = JSON.stringify({ v: 'x'.repeat(1_000_000), seq: 2, readings: [] });
      await client.publishAsync(gatewayTopic(POISONER, 'readings'), payload, { qos: 1 });
    } finally {
      await client.endAsync();
    }
    await vi.waitFor(async () => {
      const records = await influx.rows(
        `SELECT reason, payload, bytes FROM quarantine WHERE code = 'VERSION_UNSUPPORTED'`,
      );
      expect(records).toHaveLength(1);
      const [record] = records;
      expect(String(record?.reason).length).toBeLessThanOrEqual(1000);
      expect(Buffer.byteLength(String(record?.payload))).toBeLessThanOrEqual(8 * 1024);
      expect(record?.bytes).toBeGreaterThan(1_000_000);
    });
  });

  it('readings of one batch for the same sensor and time: the last is stored, the others are counted as conflicts', async () => {
    const time = Date.now() - 2000;
    const reading = { sensor: 'tension-1', quantity: 'tension', unit: 'N', time };
    const message = batch(2, [
      { ...reading, value: 100 },
      { ...reading, value: 200 },
    ]);
    expect((await publish(HONEST, message)).code).toBe(0);
    await vi.waitFor(async () => {
      const metrics = await (await api.fetch('/metrics')).text();
      expect(metrics).toMatch(/^fieldstation_ingest_reading_conflicts_total 1$/m);
      expect(metrics).toMatch(
        /^fieldstation_ingest_gateway_reading_conflicts_total\{station="xuefeng",gateway="honest-gw"\} 1$/m,
      );
    });
    await vi.waitFor(async () =>
      expect(await influx.rows(`SELECT value FROM reading WHERE sensor = 'tension-1'`)).toEqual([
        expect.objectContaining({ value: 200 }),
      ]),
    );
    expect(
      up.logs.find(
        'readings of one batch share sensor, quantity, unit and time: the last of each is stored, the others are counted as conflicts',
      ),
    ).toMatchObject({
      conflicts: 1,
      first: [
        expect.objectContaining({
          sensor: 'tension-1',
          dropped: { value: 100, qc: 2 },
          kept: { value: 200, qc: 2 },
        }),
      ],
    });
  });

  it('a batch whose readings span decades is quarantined before InfluxDB opens a shard for each week', async () => {
    const readings = Array.from({ length: 200 }, (_, i) => ({
      sensor: 'ice-9',
      quantity: 'ice-thickness',
      unit: 'mm',
      value: i,
      time: Date.UTC(2001, 0, 1) + i * 7 * 86_400_000 * 20,
    }));
    expect((await publish(POISONER, batch(3, readings))).code).toBe(0);
    await vi.waitFor(async () => {
      const records = await api.quarantine();
      expect(records).toContainEqual(
        expect.objectContaining({
          code: 'TIME_OUT_OF_RANGE',
          reason: expect.stringMatching(/^readings\.0\.time: 2001-/),
        }),
      );
    });
    expect(await influx.rows(`SELECT value FROM reading WHERE sensor = 'ice-9'`)).toEqual([]);
  });

  it('a gateway inventing sensor ids runs into its own series limit; another gateway still adds new sensors', async () => {
    const readings = Array.from({ length: 60 }, (_, i) => ({
      sensor: `made-up-${i}`,
      quantity: 'co2',
      unit: '[ppm]',
      value: i,
      time: Date.now() - 1000,
    }));
    expect((await publish(POISONER, batch(4, readings))).code).toBe(0);
    const fresh = batch(5, [
      { sensor: 'brand-new-1', quantity: 'tension', unit: 'N', value: 7, time: Date.now() - 500 },
    ]);
    expect((await publish(HONEST, fresh)).code).toBe(0);
    await vi.waitFor(async () => {
      const records = await api.quarantine();
      expect(records).toContainEqual(
        expect.objectContaining({
          code: 'SERIES_LIMIT',
          gateway: 'poison-gw',
          reason: expect.stringMatching(/the limit is 50$/),
        }),
      );
      expect(await influx.rows(`SELECT value FROM reading WHERE sensor = 'brand-new-1'`)).toEqual([
        expect.objectContaining({ value: 7 }),
      ]);
    });
    expect(await influx.rows(`SELECT count(value) FROM reading WHERE sensor =~ /^made-up-/`)).toEqual([]);
  });

  it("/healthz carries the ingest consumer's own check, healthy after all of the above", async () => {
    const response = await fetch(`${api.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ checks: [{ name: 'ingest', ok: true }] });
  });

  it('a unit that would start a spreadsheet formula is refused by the contract', async () => {
    const message = batch(3, [
      { sensor: 'ice-2', quantity: 'ice-thickness', unit: '+SUM(1;2)|/.*/{}', value: 1, time: Date.now() },
    ]);
    expect((await publish(HONEST, message)).code).toBe(0);
    await vi.waitFor(async () => {
      const records = await api.quarantine();
      expect(records).toContainEqual(
        expect.objectContaining({
          code: 'PAYLOAD_INVALID',
          reason: expect.stringMatching(/readings\.0\.unit: .*may not begin with/),
        }),
      );
    });
    expect(await influx.rows(`SELECT value FROM reading WHERE sensor = 'ice-2'`)).toEqual([]);
  });
});
