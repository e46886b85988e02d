import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse, stringify } from 'yaml';
import { ReadingsTally } from '../../../bench/readings-tally.js';
import { BrokerServer, provisionAccount } from '../../../broker/index.js';
import { type EmulatedStations, startEmulatedStations } from '../../../emulators/index.js';
import { GATEWAY_NODE_FLAGS, type GatewayConfig, loadGatewayConfig } from '../../../firmware-bridge/index.js';
import { bundleGateway } from '../../../scripts/bundle-gateway.js';
import { cleanEnv, REPO_ROOT } from '../../harness/cli-process.js';

// The gateway as its systemd unit runs it: the minified bundle, with the unit's Node.js options,
// reading every driver's instruments of both reference gateways (emulated on virtual serial ports)
// and publishing what they read. A module the bundle cannot load shows up here as a silent sensor.

const REFERENCES = ['jinfo', 'xuefeng'].map((station) => ({
  configFile: join(REPO_ROOT, 'config', station === 'jinfo' ? 'jinfo-cave-gw.yaml' : 'xuefeng-line-gw.yaml'),
  signalsFile: join(REPO_ROOT, 'config', 'simulate', `${station}.yaml`),
}));
/** The reference intervals are minutes; the emulated instruments run at the same pace. */
const INTERVAL_SCALE = 0.01;

let dir: string;
/** Inside the package, as dist/gateway/ is: the bundle finds its native add-on in node_modules. */
let bundleDir: string;
let broker: BrokerServer;
let tally: ReadingsTally | undefined;
let stations: EmulatedStations | undefined;
const gateways: ChildProcess[] = [];
const output: string[] = [];

/** The emulated config, with every sensor sampled as often as the emulated instruments run. */
async function faster(configFile: string): Promise<void> {
  const document = parse(await readFile(configFile, 'utf8')) as { sensors: { intervalMs: number }[] };
  for (const sensor of document.sensors) {
    sensor.intervalMs = Math.max(10, Math.round(sensor.intervalMs * INTERVAL_SCALE));
  }
  await writeFile(configFile, stringify(document));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-gateway-bundle-'));
  const cache = join(REPO_ROOT, 'node_modules', '.cache');
  await mkdir(cache, { recursive: true });
  bundleDir = await mkdtemp(join(cache, 'fs-gateway-bundle-'));
  await bundleGateway(bundleDir);
  const credentialsFile = join(dir, 'accounts.json');
  const listener = await provisionAccount(credentialsFile, { kind: 'service', name: 'listener' });
  broker = new BrokerServer({
    config: { host: '127.0.0.1', port: 0, credentialsFile },
    logger: pino({ level: 'silent' }),
  });
  const url = `mqtt://127.0.0.1:${(await broker.start()).port}`;
  tally = await ReadingsTally.start(url, listener);
  stations = await startEmulatedStations({
    gateways: REFERENCES,
    dir: join(dir, 'stations'),
    intervalScale: INTERVAL_SCALE,
    mqtt: async (station, gateway) => {
      const credentials = await provisionAccount(credentialsFile, { kind: 'gateway', station, gateway });
      await broker.reloadCredentials();
      return { url, ...credentials };
    },
  });
}, 60_000);

afterAll(async () => {
  for (const gateway of gateways) {
    if (gateway.exitCode === null && gateway.signalCode === null) {
      gateway.kill('SIGKILL');
      await once(gateway, 'exit');
    }
  }
  await stations?.stop();
  await tally?.stop();
  await broker?.stop();
  await rm(dir, { recursive: true, force: true });
  if (bundleDir !== undefined) await rm(bundleDir, { recursive: true, force: true });
});

describe('the bundled gateway (dist/gateway/main.js as the systemd unit runs it)', () => {
  it('reads and publishes every sensor of both reference gateways, every driver among them', async () => {
    const configs: GatewayConfig[] = [];
    for (const configFile of stations?.configFiles ?? []) {
      await faster(configFile);
      configs.push(await loadGatewayConfig(configFile));
      const child = spawn(
        process.execPath,
        [...GATEWAY_NODE_FLAGS, join(bundleDir, 'main.js'), '--config', configFile],
        { env: cleanEnv({ FS_LOG_LEVEL: 'warn' }), stdio: ['ignore', 'pipe', 'pipe'] },
      );
      for (const stream of [child.stdout, child.stderr]) {
        stream?.setEncoding('utf8');
        stream?.on('data', (text: string) => output.push(text));
      }
      gateways.push(child);
    }
    expect(configs.map((config) => config.station)).toEqual(['jinfo', 'xuefeng']);
    const drivers = new Set(configs.flatMap((config) => config.sensors.map((sensor) => sensor.driver.type)));
    expect([...drivers].sort()).toEqual(
      ['derived', 'firmata', 'modbus-rtu', 'nmea0183', 'sdi12', 'serial-line', 'toa5'].sort(),
    );
    // A deadline for a loaded machine, not a pace: each sensor samples every few seconds here.
    const everySensorHeard = vi.waitFor(
      () => {
        for (const gateway of gateways) expect(gateway.exitCode, 'a bundled gateway exited').toBeNull();
        for (const config of configs) {
          expect(
            tally?.of(config.station, config.gateway).sensors,
            `${config.station}/${config.gateway}`,
          ).toEqual(config.sensors.map((sensor) => sensor.id).sort());
        }
      },
      { timeout: 90_000, interval: 250 },
    );
    // The gateways' own logs (a module the bundle could not load, a driver's errors) for a failed run.
    await everySensorHeard.catch((error: unknown) => {
      process.stderr.write(`bundled gateways' output:\n${output.join('')}\n`);
      throw error;
    });
    for (const config of configs) expect(tally?.of(config.station, config.gateway).refused).toBe(0);
  }, 120_000);
});
