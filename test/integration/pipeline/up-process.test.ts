import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { INFLUXD_INSTALL_HINT } from '../../../influx/index.js';
import { ApiClient } from '../../harness/api-client.js';
import { CliProcess, cleanEnv, runCli } from '../../harness/cli-process.js';
import type { LogRecord } from '../../harness/log-recorder.js';

// `fieldstation up --simulate` as a user runs it: a child process configured by FS_ variables only,
// with no FS_INFLUX_URL, so it runs (and must stop) its own private influxd.

const ISO = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';
const NUMBER = '-?\\d+(\\.\\d+)?';

describe('fieldstation up --simulate', () => {
  let dir: string;
  let cli: CliProcess;
  let api: ApiClient;
  let ready: LogRecord;
  let influxd: LogRecord;
  let ports: { mqtt: number; http: number };
  let announcement: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-up-'));
    // Port 0: the system picks free ports, so neither can be taken meanwhile by the private influxd.
    cli = CliProcess.start(
      ['up', '--simulate'],
      cleanEnv({
        FS_DATA_DIR: join(dir, 'data'),
        FS_MQTT_HOST: '127.0.0.1',
        FS_MQTT_PORT: '0',
        FS_HTTP_HOST: '127.0.0.1',
        FS_HTTP_PORT: '0',
        FS_LOG_LEVEL: 'info',
        // The backfill has its own test (demo-backfill.test.ts); this one is about the process.
        FS_SIMULATE_BACKFILL_DAYS: '0',
      }),
    );
    ready = await cli.waitForLog('station server ready');
    const addresses = ready as LogRecord & { mqtt: { port: number }; http: { port: number } };
    ports = { mqtt: addresses.mqtt.port, http: addresses.http.port };
    influxd = await cli.waitForLog('private influxd started');
    // The demo prints a ready reader key and the dashboard's address on stderr, after the ready line.
    await vi.waitFor(() => expect(cli.stderr).toMatch(/Try: curl .*\n\n/), { timeout: 10_000 });
    announcement = cli.stderr;
    const key = /fsk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}/.exec(announcement)?.[0] ?? '';
    api = new ApiClient(`http://127.0.0.1:${ports.http}`, key);
  });

  afterAll(async () => {
    await cli?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it('logs its addresses and the private influxd it started, as JSON lines', () => {
    expect(ready).toMatchObject({
      level: 30,
      mqtt: { port: expect.any(Number) },
      http: { port: expect.any(Number) },
      influxUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    });
    expect(influxd).toMatchObject({ url: ready.influxUrl, dir: join(dir, 'data', 'influxdb') });
    expect(influxd.pid).toBe(cli.pid);
    expect(influxd.influxdPid).toEqual(expect.any(Number));
    expect(influxd.influxdPid).not.toBe(cli.pid);
    expect(() => process.kill(influxd.influxdPid as number, 0)).not.toThrow();
  });

  it('prints a ready reader key named demo-reader and the dashboard address', async () => {
    expect(announcement).toContain(`Dashboard: http://127.0.0.1:${ports.http}/\n`);
    expect(announcement).toContain(`-H "Authorization: Bearer ${api.key}"`);
    expect(await api.json('/v1/me')).toMatchObject({ name: 'demo-reader', role: 'reader', stations: null });
    expect((await api.text('/v1/quarantine')).status).toBe(403);
    expect(cli.logs.find(`demo reader key made; dashboard at http://127.0.0.1:${ports.http}/`)).toBeDefined();
    // The secret is printed for the person at the terminal, never logged.
    expect(JSON.stringify(cli.logs.records)).not.toContain(api.key);
  });

  it('shows both stations with their simulated gateways online', async () => {
    await vi.waitFor(
      async () => {
        const stations = await api.stations();
        const summary = stations.map((s) => [s.station, s.gateways.map((g) => [g.gateway, g.state])]);
        expect(summary).toEqual([
          ['jinfo', [['sim-cave-gw-1', 'online']]],
          ['xuefeng', [['sim-line-gw-1', 'online']]],
        ]);
      },
      { timeout: 10_000 },
    );
    const [jinfo, xuefeng] = await api.stations();
    expect(jinfo?.gateways[0]?.sensors.map((s) => s.sensor)).toContain('cave-co2-1');
    expect(jinfo?.gateways[0]?.sensors).toHaveLength(15);
    expect(xuefeng?.gateways[0]?.sensors.map((s) => s.sensor)).toContain('ice-thickness-1');
    expect(xuefeng?.gateways[0]?.sensors).toHaveLength(12);
  });

  it("shows the simulated gateways' metadata: positions, instruments, calibrations", async () => {
    await vi.waitFor(
      async () => {
        const [jinfo, xuefeng] = await api.stations();
        expect(jinfo?.metadata?.position).toMatchObject({ latitude: 29.0188, longitude: 107.1939 });
        expect(xuefeng?.metadata?.position).toMatchObject({ latitude: 27.2046, longitude: 110.8127 });
        const co2 = jinfo?.gateways[0]?.sensors.find((s) => s.sensor === 'cave-co2-1');
        expect(co2?.metadata).toMatchObject({
          make: 'Vaisala',
          model: 'GMP252',
          calibration: { date: '2025-11-03' },
        });
      },
      { timeout: 10_000 },
    );
  });

  it.each([
    ['jinfo', 'cave-co2-1', 'sim-cave-gw-1', 'co2', '[ppm]'],
    ['xuefeng', 'ice-thickness-1', 'sim-line-gw-1', 'ice-thickness', 'mm'],
  ])('serves simulated %s %s as JSON and CSV', async (station, sensor, gateway, quantity, unit) => {
    const query = { station, sensor, from: '-1h' };
    await vi.waitFor(
      async () => expect((await api.series(query)).series[0]?.points.length).toBeGreaterThan(0),
      { timeout: 10_000 },
    );
    const { series } = await api.series(query);
    expect(series).toHaveLength(1);
    expect(series[0]).toMatchObject({ station, gateway, sensor, quantity, unit, intervalMs: 60_000 });
    expect(series[0]?.points[0]).toEqual({ time: expect.any(String), value: expect.any(Number), qc: 1 });

    const csv = await api.text('/v1/series', { ...query, format: 'csv' });
    expect(csv.status).toBe(200);
    expect(csv.contentType).toMatch(/^text\/csv/);
    const [header, first] = csv.body.split('\r\n');
    expect(header).toBe('time,station,gateway,sensor,quantity,unit,value,qc');
    const escapedUnit = unit.replace(/[[\]]/g, '\\$&');
    expect(first).toMatch(
      new RegExp(`^${ISO},${station},${gateway},${sensor},${quantity},${escapedUnit},${NUMBER},1$`),
    );
  });

  it('exits 0 on SIGTERM, with its private influxd gone', async () => {
    cli.signal('SIGTERM');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(cli.logs.find('stopped', (record) => record.part === 'station server')).toBeDefined();
    expect(cli.stderr).toBe(announcement);
    expect(() => process.kill(influxd.influxdPid as number, 0)).toThrow(
      expect.objectContaining({ code: 'ESRCH' }),
    );
    await expect(fetch(`http://127.0.0.1:${ports.http}/v1/stations`)).rejects.toThrow();
  });
});

describe('fieldstation up without influxd on the PATH', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-up-no-influxd-'));
    await mkdir(join(dir, 'bin'));
    await symlink(process.execPath, join(dir, 'bin', 'node'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // The process should end with its error, not linger after printing it: 60 s leaves room for tsx
  // compiling the CLI on a loaded machine, and is still far from a process that never ends.
  it('exits non-zero at once and says how to install it', async () => {
    const result = await runCli(
      ['up'],
      cleanEnv({
        PATH: join(dir, 'bin'),
        FS_DATA_DIR: join(dir, 'data'),
        FS_MQTT_HOST: '127.0.0.1',
        FS_MQTT_PORT: '0',
        FS_HTTP_HOST: '127.0.0.1',
        FS_HTTP_PORT: '0',
      }),
      60_000,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(INFLUXD_INSTALL_HINT);
    expect(result.stderr).toContain('sudo apt-get install -y influxdb');
    expect(result.stdout).not.toContain('station server ready');
  }, 90_000);
});
