import { mkdtemp, rm, symlink, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type NmeaEmulatorChannel,
  NmeaTalkerEmulator,
  type NmeaTalkerOptions,
} from '../../../emulators/nmea0183/index.js';
import { parseGatewayConfig } from '../../../firmware-bridge/config/load.js';
import type { RawSample, SensorDriver, TimeReference } from '../../../firmware-bridge/drivers/driver.js';
import { createDrivers } from '../../../firmware-bridge/drivers/index.js';
import type { SensorError } from '../../../firmware-bridge/errors.js';
import { type PtyPair, startPtyPair } from '../../harness/socat.js';

const logger = pino({ level: process.env.FS_TEST_LOG ?? 'silent' });
const RETRY = { initialDelayMs: 20, maxDelayMs: 80, factor: 2, jitter: 1 };
/** Sensors expect a sentence every 100 ms, the talker sends every 25 ms: silence shows after 300 ms. */
const SENSOR_INTERVAL_MS = 100;
const TALKER_INTERVAL_MS = 25;
/**
 * How long a wait for an event may take before the test fails: vi.waitFor's own 1 s is too short
 * for a machine busy with other work (see testTimeout in vitest.config.ts). A passing run never
 * waits this long: waitFor returns as soon as the event is there.
 */
const EVENTUALLY = { timeout: 15_000 };
/** The talker's GPS says it is this much earlier than the gateway's clock. */
const GATEWAY_AHEAD_MS = 4000;

const VALUES: Record<NmeaEmulatorChannel, number> = {
  windSpeed: 6.4,
  windDirection: 250,
  airTemperature: -2.5,
  relativeHumidity: 91,
  dewPoint: -3.7,
  pressure: 845.3,
  heaterTemperature: 4.2,
  supplyVoltage: 24.1,
  latitude: 39.95,
  longitude: 115.42,
  altitude: 1990,
};

const SENSORS: [string, Record<string, unknown>][] = [
  ['wind-speed', { sentence: 'MWV', field: 'windSpeed', reference: 'relative' }],
  ['air-temp', { sentence: 'XDR', transducer: 'C', name: 'TAIR', unit: 'C' }],
  ['pressure', { sentence: 'MDA', field: 'pressure', talker: 'WI' }],
  ['altitude', { sentence: 'GGA', field: 'altitude' }],
];

async function driverFor(
  path: string,
  sink: { sample(s: RawSample): void; error(e: SensorError): void; timeReference(r: TimeReference): void },
): Promise<SensorDriver> {
  const config = parseGatewayConfig(
    {
      station: 'xuefeng',
      gateway: 'mast-gw-1',
      mqtt: { url: 'mqtt://127.0.0.1:1883' },
      outbox: { dir: 'outbox' },
      serialPorts: [{ id: 'wx', path, baudRate: 4800, protocol: { type: 'nmea0183' } }],
      sensors: SENSORS.map(([id, driver]) => ({
        id,
        quantity: id,
        unit: '1',
        intervalMs: SENSOR_INTERVAL_MS,
        driver: { type: 'nmea0183', port: 'wx', ...driver },
      })),
    },
    join(tmpdir(), 'mast-gw.yaml'),
  );
  const drivers = await createDrivers(config, {
    sink,
    logger,
    retry: RETRY,
  });
  expect(drivers).toHaveLength(1);
  return drivers[0] as SensorDriver;
}

describe('nmea0183 driver and talker emulator over a PTY', () => {
  let dir: string;
  let link: string;
  const samples: RawSample[] = [];
  const errors: SensorError[] = [];
  const times: TimeReference[] = [];
  const sink = {
    sample: (s: RawSample) => samples.push(s),
    error: (e: SensorError) => errors.push(e),
    timeReference: (r: TimeReference) => times.push(r),
  };
  const cleanup: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-nmea-'));
    // The driver opens a stable name, as /dev/serial/by-id/... is on a gateway; the PTY behind it may change.
    link = join(dir, 'talker');
    samples.length = 0;
    errors.length = 0;
    times.length = 0;
  });
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup.length = 0;
    await rm(dir, { recursive: true, force: true });
  });

  async function plugIn(): Promise<{ pty: PtyPair; talker: NmeaTalkerEmulator }> {
    const pty = await startPtyPair();
    cleanup.push(() => pty.stop());
    await unlink(link).catch(() => undefined);
    await symlink(pty.a, link);
    const options: NmeaTalkerOptions = {
      path: pty.b,
      baudRate: 4800,
      intervalMs: TALKER_INTERVAL_MS,
      valueOf: (channel) => VALUES[channel],
      now: () => Date.now() - GATEWAY_AHEAD_MS,
    };
    const talker = new NmeaTalkerEmulator(options);
    await talker.start();
    cleanup.push(() => talker.stop());
    return { pty, talker };
  }

  async function started(): Promise<SensorDriver> {
    const driver = await driverFor(link, sink);
    await driver.start();
    cleanup.push(() => driver.stop());
    return driver;
  }

  const valuesOf = (sensor: string) => samples.filter((s) => s.sensor === sensor).map((s) => s.value);
  const codesOf = (sensor: string) => errors.filter((e) => e.sensors.includes(sensor)).map((e) => e.code);
  /** Waits until every listed sensor has at least `more` samples beyond what it had when called. */
  async function moreSamples(sensors: readonly string[], more = 3): Promise<void> {
    const before = new Map(sensors.map((sensor) => [sensor, valuesOf(sensor).length]));
    await vi.waitFor(() => {
      for (const sensor of sensors)
        expect(valuesOf(sensor).length).toBeGreaterThanOrEqual((before.get(sensor) ?? 0) + more);
    }, EVENTUALLY);
  }

  it('reads every selected value and the GPS time', async () => {
    await plugIn();
    await started();
    await moreSamples(SENSORS.map(([id]) => id));
    expect(valuesOf('wind-speed')[0]).toBe(6.4);
    expect(valuesOf('air-temp')[0]).toBe(-2.5);
    expect(valuesOf('pressure')[0]).toBeCloseTo(845.3, 6);
    expect(valuesOf('altitude')[0]).toBe(1990);
    const sample = samples[0] as RawSample;
    expect(Math.abs(sample.timeMs - Date.now())).toBeLessThan(5000);
    await vi.waitFor(() => expect(times.length).toBeGreaterThanOrEqual(2), EVENTUALLY);
    for (const reference of times) {
      expect(reference.source).toBe('gps');
      // The GPS sentence was formed when the talker sent it; reading it takes a few ms, never seconds.
      expect(Math.abs(reference.receivedAtMs - reference.timeMs - GATEWAY_AHEAD_MS)).toBeLessThan(500);
    }
    expect(errors.filter((e) => e.code !== 'NMEA_SILENT')).toEqual([]);
  });

  it('counts each injected fault against the sensors it concerns while the others keep reporting', async () => {
    const { talker } = await plugIn();
    await started();
    await moreSamples(['wind-speed', 'air-temp']);

    talker.setFault('MWV', 'bad-checksum');
    await vi.waitFor(() => expect(codesOf('wind-speed')).toContain('NMEA_CHECKSUM'), EVENTUALLY);
    await moreSamples(['air-temp', 'pressure', 'altitude']);
    expect(codesOf('air-temp')).not.toContain('NMEA_CHECKSUM');

    talker.setFault('MWV', 'status-v');
    await vi.waitFor(() => expect(codesOf('wind-speed')).toContain('NMEA_STATUS_INVALID'), EVENTUALLY);

    talker.setFault('XDR', 'garbage');
    // Noise names no sentence: every sensor of the port is charged with it.
    await vi.waitFor(() => expect(codesOf('altitude')).toContain('NMEA_FRAMING'), EVENTUALLY);
    expect(codesOf('air-temp')).toContain('NMEA_FRAMING');
    await moreSamples(['pressure', 'altitude']);

    talker.setFault('GGA', 'status-v');
    await vi.waitFor(() => expect(codesOf('altitude')).toContain('NMEA_NO_FIX'), EVENTUALLY);

    talker.setFault('MDA', 'silent');
    await vi.waitFor(() => expect(codesOf('pressure')).toContain('NMEA_SILENT'), EVENTUALLY);

    talker.setFault('all', undefined);
    await moreSamples(SENSORS.map(([id]) => id));
    expect(valuesOf('wind-speed').at(-1)).toBe(6.4);
  });

  it('refuses an overlong sentence and a broken line, and reads the next ones', async () => {
    const { talker } = await plugIn();
    await started();
    await moreSamples(['air-temp'], 1);
    const quads = Array.from({ length: 30 }, (_, i) => `C,1.0,C,T${i}`).join(',');
    await talker.writeRaw(`$WIXDR,${quads}*00\r\n`);
    await vi.waitFor(() => expect(codesOf('air-temp')).toContain('NMEA_TOO_LONG'), EVENTUALLY);
    // Far beyond any sentence, with no newline for a long while: dropped, counted, memory bounded.
    await talker.writeRaw(Buffer.alloc(3000, 0x55));
    await talker.writeRaw('\r\n');
    await vi.waitFor(() => expect(codesOf('wind-speed')).toContain('NMEA_TOO_LONG'), EVENTUALLY);
    await moreSamples(SENSORS.map(([id]) => id));
  });

  it('counts the port vanishing, retries, and reads again once it is back', async () => {
    const first = await plugIn();
    await started();
    await moreSamples(['wind-speed']);

    // The USB adapter is pulled: the PTY goes with the talker behind it.
    await first.pty.stop();
    await first.talker.stop();
    await vi.waitFor(() => expect(codesOf('wind-speed')).toContain('SERIAL_CLOSED'), EVENTUALLY);
    await vi.waitFor(() => expect(codesOf('wind-speed')).toContain('SERIAL_OPEN_FAILED'), EVENTUALLY);
    // Once the port is gone, no silence is counted on top of its own fault. (Before, a silence is
    // fair: a busy machine may run the silence check before it reads that the port hung up.)
    const whileGone = codesOf('wind-speed').slice(codesOf('wind-speed').indexOf('SERIAL_CLOSED'));
    expect(whileGone).not.toContain('NMEA_SILENT');

    // Plugged back in: a new PTY behind the same name.
    await plugIn();
    await moreSamples(SENSORS.map(([id]) => id));
  });

  it('reports silence when the talker stops sending altogether', async () => {
    const { talker } = await plugIn();
    await started();
    await moreSamples(['wind-speed']);
    talker.setFault('all', 'silent');
    await vi.waitFor(() => {
      for (const [id] of SENSORS) expect(codesOf(id)).toContain('NMEA_SILENT');
    }, EVENTUALLY);
    const silent = errors.find((e) => e.code === 'NMEA_SILENT');
    expect(silent?.message).toMatch(/^nothing from the talker for this sensor in \d+ ms$/);
    expect(silent?.context).toEqual({ port: 'wx' });
  });
});
