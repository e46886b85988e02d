import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type EmulatedStations, startEmulatedStations } from '../../../emulators/index.js';
import {
  type CheckReport,
  Gateway,
  type GatewayConfig,
  loadGatewayConfig,
} from '../../../firmware-bridge/index.js';
import { CliProcess, cleanEnv, REPO_ROOT, runCli } from '../../harness/cli-process.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';
import { type RunningStationParts, startStationParts } from '../../harness/station.js';

// The two stations' reference gateways (config/*-gw.yaml) with every instrument emulated on a real
// virtual serial port: `gateway check` reads them all, and real gateways carry every driver's
// readings through the broker and the ingest into InfluxDB.

const logger = pino({ level: process.env.FS_TEST_LOG ?? 'silent' });
const REFERENCES = [
  {
    configFile: join(REPO_ROOT, 'config', 'jinfo-cave-gw.yaml'),
    signalsFile: join(REPO_ROOT, 'config', 'simulate', 'jinfo.yaml'),
  },
  {
    configFile: join(REPO_ROOT, 'config', 'xuefeng-line-gw.yaml'),
    signalsFile: join(REPO_ROOT, 'config', 'simulate', 'xuefeng.yaml'),
  },
];

let dir: string;
let references: GatewayConfig[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-emulated-'));
  references = await Promise.all(REFERENCES.map(({ configFile }) => loadGatewayConfig(configFile)));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('gateway check against the emulated reference gateways', () => {
  let stations: EmulatedStations;

  beforeAll(async () => {
    stations = await startEmulatedStations({
      gateways: REFERENCES,
      dir: join(dir, 'check'),
      intervalScale: 0.01,
      mqtt: async () => ({ url: 'mqtt://127.0.0.1:1' }),
    });
  });
  afterAll(async () => {
    await stations?.stop();
  });

  // Two real gateway checks, one after the other, each up to its own 120 s limit.
  it('reads every sensor of both stations, each with its unit, a value inside its range and QC pass', async () => {
    for (const [index, reference] of references.entries()) {
      const file = stations.configFiles[index] as string;
      const result = await runCli(
        ['gateway', 'check', '--config', file, '--json', '--timeout', '90'],
        cleanEnv(),
        120_000,
      );
      expect(result, result.stderr).toMatchObject({ code: 0 });
      const report = JSON.parse(result.stdout) as CheckReport;
      expect(report).toMatchObject({
        station: reference.station,
        gateway: `${reference.gateway}-emu`,
        passed: true,
      });
      expect(report.sensors.map((line) => [line.sensor, line.driver, line.unit])).toEqual(
        reference.sensors.map((sensor) => [sensor.id, sensor.driver.type, sensor.unit]),
      );
      for (const line of report.sensors) {
        const sensor = reference.sensors.find((candidate) => candidate.id === line.sensor);
        expect(line, line.sensor).toMatchObject({ status: 'ok', errors: 0, qc: 1 });
        expect(line.samples, line.sensor).toBeGreaterThanOrEqual(3);
        if (sensor?.range !== undefined) {
          expect(line.value, line.sensor).toBeGreaterThanOrEqual(sensor.range.min);
          expect(line.value, line.sensor).toBeLessThanOrEqual(sensor.range.max);
        }
      }
    }
  }, 240_000);

  it('prints the table a technician reads, one line per sensor, and says all are OK', async () => {
    const file = stations.configFiles[1] as string;
    const result = await runCli(
      ['gateway', 'check', '--config', file, '--samples', '1'],
      cleanEnv(),
      120_000,
    );
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^gateway xuefeng\/line-gw-1-emu: 12 sensors checked in [\d.]+ s; clock synced, gps/,
    );
    expect(lines[2]).toMatch(/^SENSOR\s+DRIVER\s+VALUE\s+UNIT\s+QC\s+READ\s+STATUS$/);
    for (const sensor of references[1]?.sensors ?? []) {
      expect(result.stdout).toMatch(
        new RegExp(
          `^${sensor.id}\\s+${sensor.driver.type}\\s+\\S+\\s+${sensor.unit}\\s+1 pass\\s+\\d+/1\\s+OK$`,
          'm',
        ),
      );
    }
    expect(result.stdout).toContain('All sensors OK.');
  }, 150_000);
});

describe('fieldstation simulate --serial', () => {
  it('runs the emulated instruments and writes gateway configs that read them', async () => {
    const data = join(dir, 'cli');
    const env = cleanEnv({ FS_DATA_DIR: data, FS_LOG_LEVEL: 'info', FS_SIMULATE_INTERVAL_SCALE: '0.01' });
    const simulate = CliProcess.start(['simulate', '--serial'], env);
    try {
      await simulate.waitForLog('running; stop with Ctrl-C or SIGTERM');
      const config = await loadGatewayConfig(join(data, 'emulated', 'xuefeng-line-gw-1-emu', 'gateway.yaml'));
      expect(config.gateway).toBe('line-gw-1-emu');
      expect(config.serialPorts.map((port) => port.path)).toEqual(
        ['load-bus', 'mast', 'leakage-board'].map((id) =>
          join(data, 'emulated', 'xuefeng-line-gw-1-emu', 'ports', `${id}.gateway`),
        ),
      );
      expect(config.mqtt.username).toBe('xuefeng.line-gw-1-emu');
      const password = await readFile(
        join(data, 'emulated', 'xuefeng-line-gw-1-emu', 'mqtt-password'),
        'utf8',
      );
      expect(password.trim()).toMatch(/^\S{20,}$/);
      simulate.signal('SIGTERM');
      expect(await simulate.exited).toMatchObject({ code: 0 });
    } finally {
      await simulate.kill();
    }
  });
});

describe('every driver through broker and ingest into InfluxDB', () => {
  let influx: TestInflux;
  let station: RunningStationParts;
  let stations: EmulatedStations | undefined;
  const gateways: Gateway[] = [];

  beforeAll(async () => {
    influx = await startTestInflux('fs_emulated_stations');
    station = await startStationParts({ influx: influx.config });
    stations = await startEmulatedStations({
      gateways: REFERENCES,
      dir: join(dir, 'pipeline'),
      intervalScale: 0.01,
      mqtt: async (stationId, gateway) => ({
        url: station.mqttUrl,
        ...(await station.addGateway({ station: stationId, gateway })),
      }),
    });
    for (const file of stations.configFiles) {
      const config = await loadGatewayConfig(file);
      const gateway = new Gateway({
        config,
        logger,
        intervalScale: 0.01,
        reconnect: { initialDelayMs: 100, maxDelayMs: 400, factor: 2, jitter: 1 },
      });
      gateways.push(gateway);
      await gateway.start();
    }
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await stations?.stop();
    await station?.stop();
    await influx?.stop();
  });

  it('stores readings of every sensor of both reference gateways, tagged with quantity and unit', async () => {
    const expected = references.flatMap((reference) =>
      reference.sensors.map((sensor) =>
        [reference.station, `${reference.gateway}-emu`, sensor.id, sensor.quantity, sensor.unit].join('|'),
      ),
    );
    await vi.waitFor(
      async () => {
        const rows = await influx.rows(
          'SELECT count(value) FROM reading GROUP BY station, gateway, sensor, quantity, unit',
        );
        const stored = rows.map((row) =>
          [row.station, row.gateway, row.sensor, row.quantity, row.unit].join('|'),
        );
        expect(stored.sort()).toEqual([...expected].sort());
      },
      { timeout: 60_000, interval: 500 },
    );
    expect(await influx.rows('SELECT * FROM quarantine')).toEqual([]);
  }, 90_000);
});
