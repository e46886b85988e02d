import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CliProcess, cleanEnv } from '../../harness/cli-process.js';
import type { LogRecord } from '../../harness/log-recorder.js';
import { CrashStation, GATEWAY } from './crash-station.js';

// The chaos bench's gateway row as a test: batches flow (50 readings or 200 ms) while the gateway
// is killed -9 several times, and after the last restart it is stopped with SIGTERM at once, as a
// service manager may, before it has connected. Every reading its drivers delivered in any run
// must reach InfluxDB by the end of that last run, with no further start.

const SENSORS = ['flow-t-1', 'flow-t-2', 'flow-t-3', 'flow-t-4'];
/** Readings each killed run delivers before its kill: a few batches, the last one still forming. */
const DELIVERED_BEFORE_KILL = [90, 130, 170];

let station: CrashStation | undefined;
let dir: string | undefined;
const gateways: CliProcess[] = [];

function gatewayConfig(mqttUrl: string, credentials: { username: string; password: string }, root: string) {
  return {
    ...GATEWAY,
    mqtt: { url: mqttUrl, ...credentials },
    outbox: { dir: join(root, 'outbox') },
    batch: { maxReadings: 50, maxDelayMs: 200 },
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
const delivered = (records: readonly LogRecord[]) =>
  records
    .filter((record) => record.msg === 'reading delivered')
    .map((record) => key(record.sensor, record.time));

beforeAll(async () => {
  station = await CrashStation.start();
  dir = await mkdtemp(join(tmpdir(), 'fs-kill-gateway-flowing-'));
});

afterAll(async () => {
  await Promise.allSettled(gateways.map((gateway) => gateway.kill()));
  await station?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('kill -9 of a gateway while batches flow, then SIGTERM right after its restart', () => {
  it('stores every reading any run delivered', async () => {
    if (station === undefined || dir === undefined) throw new Error('no station');
    const crash = station;
    await crash.startIngest();
    const configFile = join(dir, 'gateway.json');
    await writeFile(configFile, JSON.stringify(gatewayConfig(crash.mqttUrl, crash.gatewayAccount, dir)));

    const produced: string[] = [];
    for (const count of DELIVERED_BEFORE_KILL) {
      const gateway = startGateway(configFile);
      // Publishing, so acknowledgements, segment deletion and journal releases run when the kill lands.
      await gateway.waitForLog('mqtt connected', undefined, 120_000);
      const enough = (record: LogRecord) =>
        record.msg === 'reading delivered' && delivered(gateway.logs.records).length >= count;
      await gateway.waitForLog('reading delivered', enough, 120_000);
      gateway.signal('SIGKILL');
      expect(await gateway.exited).toMatchObject({ signal: 'SIGKILL' });
      produced.push(...delivered(gateway.logs.records));
    }

    const last = startGateway(configFile);
    await last.waitForLog('running; stop with Ctrl-C or SIGTERM', undefined, 120_000);
    last.signal('SIGTERM');
    expect(await last.exited).toMatchObject({ code: 0 });
    produced.push(...delivered(last.logs.records));

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
        const missing = produced.filter((reading) => !inInflux.has(reading));
        expect(missing, `${missing.length} of ${produced.length} delivered readings missing`).toEqual([]);
      },
      { timeout: 60_000, interval: 200 },
    );
  }, 600_000);
});
