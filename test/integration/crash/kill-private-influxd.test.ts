import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type IssuedCredentials, provisionAccount } from '../../../broker/index.js';
import { gatewayTopic } from '../../../protocol/index.js';
import { ApiClient } from '../../harness/api-client.js';
import { addKeyIn } from '../../harness/api-keys.js';
import { CliProcess, cleanEnv } from '../../harness/cli-process.js';
import type { LogRecord } from '../../harness/log-recorder.js';
import { parseExposition } from '../api/prometheus-text.js';

// `fieldstation up` as a child process with its private influxd, whose influxd is killed with
// kill -9: `up` starts it again on the same URL and data, or, when it cannot, exits non-zero so a
// service manager starts everything afresh.

const GATEWAY = { station: 'jinfo', gateway: 'restart-gw-1' };
/** Generous for a busy 2-core machine: tsx compiles the CLI, then influxd loads its shards. */
const STARTUP_MS = 60_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function influxdPid(dir: string): Promise<number> {
  return Number((await readFile(join(dir, 'data', 'influxdb', 'influxd.pid'), 'utf8')).trim());
}

/** For cleanup after a failed test: no `up` and no influxd may outlive it. */
async function killAll(cli: CliProcess, dir: string): Promise<void> {
  await cli.kill();
  const pid = await influxdPid(dir).catch(() => undefined);
  if (pid !== undefined && alive(pid)) process.kill(pid, 'SIGKILL');
}

/** A running `up` in its own temp dir, on free ports, with a gateway account provisioned beforehand. */
class UpProcess {
  private constructor(
    readonly dir: string,
    readonly cli: CliProcess,
    readonly api: ApiClient,
    readonly mqttPort: number,
    readonly gateway: IssuedCredentials,
    readonly ready: LogRecord,
  ) {}

  static async start(dir: string, env: Record<string, string> = {}): Promise<UpProcess> {
    const dataDir = join(dir, 'data');
    const gateway = await provisionAccount(join(dataDir, 'broker', 'accounts.json'), {
      kind: 'gateway',
      ...GATEWAY,
    });
    const { key } = await addKeyIn(dataDir);
    // Port 0: the system picks free ports, so neither can be taken meanwhile by the private influxd.
    const cli = CliProcess.start(
      ['up'],
      cleanEnv({
        FS_DATA_DIR: dataDir,
        FS_MQTT_HOST: '127.0.0.1',
        FS_MQTT_PORT: '0',
        FS_HTTP_HOST: '127.0.0.1',
        FS_HTTP_PORT: '0',
        FS_LOG_LEVEL: 'info',
        ...env,
      }),
    );
    try {
      const ready = await cli.waitForLog('station server ready', undefined, STARTUP_MS);
      const ports = ready as LogRecord & { mqtt: { port: number }; http: { port: number } };
      const api = new ApiClient(`http://127.0.0.1:${ports.http.port}`, key);
      return new UpProcess(dir, cli, api, ports.mqtt.port, gateway, ready);
    } catch (error) {
      await killAll(cli, dir);
      throw error;
    }
  }

  get influxUrl(): string {
    return String(this.ready.influxUrl);
  }

  influxdPid(): Promise<number> {
    return influxdPid(this.dir);
  }

  kill(): Promise<void> {
    return killAll(this.cli, this.dir);
  }

  async healthStatus(): Promise<number> {
    return (await fetch(`${this.api.baseUrl}/healthz`)).status;
  }

  async publish(seq: number, sensor: string, value: number): Promise<void> {
    const client = await connectAsync(`mqtt://127.0.0.1:${this.mqttPort}`, {
      ...this.gateway,
      protocolVersion: 4,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
    });
    try {
      const readings = [{ sensor, quantity: 'co2', unit: '[ppm]', value, time: Date.now() - 1000 }];
      await client.publishAsync(gatewayTopic(GATEWAY, 'readings'), JSON.stringify({ v: 1, seq, readings }), {
        qos: 1,
      });
    } finally {
      await client.endAsync();
    }
  }
}

async function pings(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/ping`)).status === 204;
  } catch {
    return false;
  }
}

describe('fieldstation up after kill -9 of its private influxd', () => {
  let up: UpProcess | undefined;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-up-influxd-restart-'));
    up = await UpProcess.start(dir);
  }, STARTUP_MS + 10_000);

  afterAll(async () => {
    await up?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it('restarts it on the same URL, serves again, stores new readings and counts the restart', async () => {
    if (up === undefined) throw new Error('up did not start');
    const station = up;
    const url = station.influxUrl;
    const killed = await station.influxdPid();
    expect(station.cli.logs.find('private influxd started')?.influxdPid).toBe(killed);
    await vi.waitFor(async () => expect(await station.healthStatus()).toBe(200), { timeout: 20_000 });

    process.kill(killed, 'SIGKILL');
    const restarted = await station.cli.waitForLog('private influxd restarted', undefined, 60_000);
    expect(restarted).toMatchObject({ attempt: 1, url });
    expect(station.cli.logs.find('private influxd exited unexpectedly')).toMatchObject({
      level: 50,
      signal: 'SIGKILL',
      influxdPid: killed,
    });

    // A new process behind the same URL, recorded in the pid file, and the API healthy again.
    const pid = await station.influxdPid();
    expect(pid).not.toBe(killed);
    expect(restarted.influxdPid).toBe(pid);
    expect(alive(pid)).toBe(true);
    expect(await pings(url)).toBe(true);
    await vi.waitFor(async () => expect(await station.healthStatus()).toBe(200), {
      timeout: 20_000,
      interval: 100,
    });

    await station.publish(1, 'co2-after-restart', 412.5);
    await vi.waitFor(
      async () => {
        const { series } = await station.api.series({ ...GATEWAY, sensor: 'co2-after-restart', from: '-1h' });
        expect(series[0]?.points.map((point) => point.value)).toEqual([412.5]);
      },
      { timeout: 20_000, interval: 100 },
    );

    // The ingest counts the write when InfluxDB has answered it, a moment after the point is visible.
    const metrics = await vi.waitFor(
      async () => {
        const scraped = parseExposition((await station.api.text('/metrics')).body);
        expect(scraped.value('fieldstation_ingest_readings_accepted_total')).toBe(1);
        return scraped;
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(metrics.types.get('fieldstation_up_influxd_restarts_total')).toBe('counter');
    expect(metrics.value('fieldstation_up_influxd_restarts_total')).toBe(1);
    expect(metrics.value('fieldstation_up_influxd_restart_failures_total')).toBe(0);
  }, 120_000);

  it('stops the restarted influxd on SIGTERM without starting another, and exits 0', async () => {
    if (up === undefined) throw new Error('up did not start');
    const pid = await up.influxdPid();
    up.cli.signal('SIGTERM');
    expect(await up.cli.exited).toEqual({ code: 0, signal: null });
    expect(alive(pid)).toBe(false);
    const count = (msg: string) => up?.cli.logs.records.filter((record) => record.msg === msg).length;
    expect(count('private influxd exited unexpectedly')).toBe(1);
    expect(count('private influxd is down; restarting it')).toBe(1);
    await expect(up.influxdPid()).rejects.toThrow(/ENOENT/);
  }, 60_000);
});

describe('fieldstation up when its private influxd cannot be restarted', () => {
  let up: UpProcess | undefined;
  let dir: string;
  let refuse: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-up-influxd-gone-'));
    refuse = join(dir, 'refuse-influxd');
    // An operator's influxd (FS_INFLUXD_BINARY) that runs the real one until the test forbids it.
    const wrapper = join(dir, 'influxd-once');
    await writeFile(
      wrapper,
      `#!/bin/sh\nif [ -e '${refuse}' ]; then echo 'influxd refused by the test' >&2; exit 1; fi\nexec influxd "$@"\n`,
    );
    await chmod(wrapper, 0o755);
    up = await UpProcess.start(dir, { FS_INFLUXD_BINARY: wrapper, FS_INFLUXD_RESTART_TIMEOUT: '3' });
  }, STARTUP_MS + 10_000);

  afterAll(async () => {
    await up?.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it('exits non-zero after stopping its parts, and logs why', async () => {
    if (up === undefined) throw new Error('up did not start');
    const killed = await up.influxdPid();
    await writeFile(refuse, '');
    process.kill(killed, 'SIGKILL');

    const exit = await up.cli.exited;
    expect(exit).toEqual({ code: 1, signal: null });
    const failures = up.cli.logs.records.filter((record) => record.msg === 'private influxd restart failed');
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(failures[0]).toMatchObject({
      err: { message: expect.stringContaining('influxd refused by the test') },
    });
    const gaveUp = up.cli.logs.find('private influxd could not be restarted; giving up');
    expect(gaveUp).toMatchObject({ level: 50, attempts: failures.length });
    // Within the 3 s, give or take an attempt that ends a moment after the deadline on a busy machine.
    expect(gaveUp?.downForMs).toBeLessThan(3500);
    expect(up.cli.logs.find('a part failed for good; shutting down')).toMatchObject({
      level: 50,
      part: 'station server',
      err: {
        code: 'INFLUXD_RESTART_FAILED',
        message: expect.stringMatching(/could not be restarted within 3 s .*: influxd refused by the test/),
      },
    });
    expect(up.cli.logs.find('stopped', (record) => record.part === 'station server')).toBeDefined();
    expect(alive(killed)).toBe(false);
    await expect(up.influxdPid()).rejects.toThrow(/ENOENT/);
  }, 60_000);
});
