import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CliProcess, cleanEnv } from '../../harness/cli-process.js';
import type { LogRecord } from '../../harness/log-recorder.js';
import { CrashStation, GATEWAY } from './crash-station.js';

// The design brief's promise for the gateway: kill -9 it right after its drivers delivered readings,
// start it again, and every one of them reaches InfluxDB. The batch is set to wait far longer than
// the test, so a reading that waited for company in memory, not on disk, would be missing.

const SENSORS = ['kill-t-1', 'kill-t-2', 'kill-t-3'];
/** Readings delivered before the kill: a few ticks of every sensor. */
const DELIVERED_BEFORE_KILL = 60;

let station: CrashStation | undefined;
let dir: string | undefined;
const gateways: CliProcess[] = [];

function gatewayConfig(mqttUrl: string, credentials: { username: string; password: string }, root: string) {
  return {
    ...GATEWAY,
    mqtt: { url: mqttUrl, ...credentials },
    outbox: { dir: join(root, 'outbox') },
    // No batch fills or times out while the test runs: only the disk holds the readings at the kill.
    batch: { maxReadings: 1000, maxDelayMs: 3_600_000 },
    sensors: SENSORS.map((id, i) => ({
      id,
      quantity: 'temperature',
      unit: 'Cel',
      intervalMs: 20,
      driver: { type: 'simulator', seed: i + 1, signal: { type: 'diurnal', mean: 10 + i } },
    })),
  };
}

function startGateway(configFile: string): CliProcess {
  const gateway = CliProcess.start(['gateway', '--config', configFile], cleanEnv({ FS_LOG_LEVEL: 'trace' }));
  gateways.push(gateway);
  return gateway;
}

const key = (sensor: unknown, time: unknown) => `${String(sensor)}@${String(time)}`;

beforeAll(async () => {
  station = await CrashStation.start();
  dir = await mkdtemp(join(tmpdir(), 'fs-kill-gateway-'));
});

afterAll(async () => {
  await Promise.allSettled(gateways.map((gateway) => gateway.kill()));
  await station?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('kill -9 of a gateway', () => {
  it('stores every reading its drivers delivered before the kill, once it runs again', async () => {
    if (station === undefined || dir === undefined) throw new Error('no station');
    const crash = station;
    await crash.startIngest();
    const configFile = join(dir, 'gateway.json');
    await writeFile(configFile, JSON.stringify(gatewayConfig(crash.mqttUrl, crash.gatewayAccount, dir)));

    const first = startGateway(configFile);
    const enough = (record: LogRecord) =>
      first.logs.records.filter((line) => line.msg === 'reading delivered').length >= DELIVERED_BEFORE_KILL &&
      record.msg === 'reading delivered';
    // A child that compiles the CLI with tsx can take long to start on a loaded machine: a deadline, not a pace.
    await first.waitForLog('reading delivered', enough, 120_000);
    first.signal('SIGKILL');
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });
    const delivered = new Set(
      first.logs.records
        .filter((record) => record.msg === 'reading delivered')
        .map((record) => key(record.sensor, record.time)),
    );
    expect(delivered.size).toBeGreaterThanOrEqual(DELIVERED_BEFORE_KILL);

    const second = startGateway(configFile);
    await second.waitForLog('gateway started', undefined, 120_000);
    const stored = async () => {
      const rows = await crash.influx.rows(
        `SELECT value FROM reading WHERE station = '${GATEWAY.station}' AND gateway = '${GATEWAY.gateway}' GROUP BY sensor`,
      );
      return new Set(
        rows.map((row) =>
          key(row.sensor, typeof row.time === 'number' ? row.time : Date.parse(String(row.time))),
        ),
      );
    };
    await vi.waitFor(
      async () => {
        const inInflux = await stored();
        const missing = [...delivered].filter((reading) => !inInflux.has(reading));
        expect(missing, `${missing.length} of ${delivered.size} delivered readings missing`).toEqual([]);
      },
      { timeout: 60_000, interval: 200 },
    );
    expect(second.logs.find('readings journaled before a crash stored')).toBeDefined();
  }, 300_000);
});
