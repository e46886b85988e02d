import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EmulatedSdi12SensorConfig } from '../../../emulators/sdi12/emulated-sensor.js';
import { Sdi12AdapterEmulator } from '../../../emulators/sdi12/sdi12-adapter-emulator.js';
import type { RawSample } from '../../../firmware-bridge/drivers/driver.js';
import type { Sdi12SensorConfig } from '../../../firmware-bridge/drivers/sdi12/measurement-groups.js';
import type { Sdi12PortConfig } from '../../../firmware-bridge/drivers/sdi12/sdi12-bus.js';
import { Sdi12Driver } from '../../../firmware-bridge/drivers/sdi12/sdi12-driver.js';
import type { SensorError } from '../../../firmware-bridge/errors.js';
import { startPtyPair } from '../../harness/socat.js';
import { startPtyPairAt } from './pty-pair-at.js';

const logger = pino({ level: process.env.FS_TEST_LOG ?? 'silent' });
const RETRY = { initialDelayMs: 20, maxDelayMs: 80, factor: 2, jitter: 1 };
/**
 * The product's default: the adapter here is emulated in the test's own process, which a busy
 * machine can hold up for far longer than a real adapter takes to answer. A shorter setting makes
 * healthy exchanges time out, and tests that expect no error then see SDI12_TIMEOUT.
 */
const REPLY_TIMEOUT_MS = 1000;
/**
 * How long a wait for an event may take before the test fails, for a machine busy with other work
 * (a silent sensor alone holds the bus for two reply timeouts per poll). A passing run never waits
 * this long: waitFor returns as soon as the event is there.
 */
const EVENTUALLY = { timeout: 20_000 };

/** Distinct, recognisable values per channel: address 1 index 2 -> 1.02. */
function channelValue(channel: string): number {
  const [address = '0', index = '0'] = channel.split(':');
  return Number.parseInt(address, 36) + Number(index) / 100;
}

/** Address 0 announces this long a measurement, far beyond any wait of the tests below. */
const ANNOUNCED_SECONDS = 30;

/**
 * With the `late-data` fault, address 0's data replies come this long after their command, between
 * the first try's timeout (LATE_TIMEOUT_MS) and the retry's: 400 ms from either edge, more than a
 * busy machine's timers slip (at 300/450 ms the margin was 150 ms, and a run at load 20 missed it).
 */
const LATE_TIMEOUT_MS = 800;
const LATE_REPLY_MS = 1200;

const EMULATED: EmulatedSdi12SensorConfig[] = [
  // Sends its service request after 30 ms: the driver must not wait the announced time out.
  {
    address: '0',
    values: 3,
    measurementSeconds: ANNOUNCED_SECONDS,
    serviceRequestAfterMs: 30,
    valuesPerReply: 2,
    lateReplyMs: LATE_REPLY_MS,
  },
  { address: '1', values: 2 },
  // Ready at once: its service request comes in the same write as the reply to 3M!.
  { address: '3', values: 1, measurementSeconds: ANNOUNCED_SECONDS, serviceRequestAfterMs: 0 },
  { address: '2', values: 2 },
];

function sensor(
  id: string,
  address: string,
  index: number,
  command: 'M' | 'MC' | 'C' | 'CC' = 'M',
): Sdi12SensorConfig {
  return {
    id,
    quantity: 'temperature',
    unit: 'Cel',
    intervalMs: 1000,
    driver: { type: 'sdi12', port: 'sdi', address, command, index },
  };
}

const SENSORS = [
  sensor('air-t', '0', 1),
  sensor('air-rh', '0', 2),
  sensor('air-p', '0', 3),
  sensor('soil-vwc', '1', 1, 'MC'),
  sensor('soil-t', '1', 2, 'MC'),
  sensor('leaf-wet', '2', 2, 'C'),
];

describe('Sdi12Driver over a PTY with the emulated adapter', () => {
  const samples: RawSample[] = [];
  const errors: SensorError[] = [];
  const sink = { sample: (s: RawSample) => samples.push(s), error: (e: SensorError) => errors.push(e) };
  const cleanups: (() => Promise<void>)[] = [];

  beforeEach(() => {
    samples.length = 0;
    errors.length = 0;
  });
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  });

  function driverFor(
    path: string,
    sensors: Sdi12SensorConfig[] = SENSORS,
    replyTimeoutMs = REPLY_TIMEOUT_MS,
  ): Sdi12Driver {
    const port: Sdi12PortConfig = {
      id: 'sdi',
      path,
      baudRate: 9600,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      protocol: { type: 'sdi12', replyTimeoutMs, retries: 1 },
    };
    const driver = new Sdi12Driver({ port, sensors, sink, logger, retry: RETRY, intervalScale: 0.2 });
    cleanups.push(() => driver.stop());
    return driver;
  }

  async function emulatorOn(path: string, echo = false): Promise<Sdi12AdapterEmulator> {
    const emulator = new Sdi12AdapterEmulator({ path, sensors: EMULATED, valueOf: channelValue, echo });
    await emulator.start();
    cleanups.push(() => emulator.stop());
    return emulator;
  }

  async function ptyPair() {
    const pty = await startPtyPair();
    cleanups.push(() => pty.stop());
    return pty;
  }

  const valuesOf = (id: string) => samples.filter((s) => s.sensor === id).map((s) => s.value);
  const codesFor = (id: string) => errors.filter((e) => e.sensors.includes(id)).map((e) => e.code);

  it('reads every value of M, MC and C measurements, one measurement cycle per address per poll', async () => {
    const pty = await ptyPair();
    const emulator = await emulatorOn(pty.b, true);
    const driver = driverFor(pty.a);
    const startedAt = Date.now();
    await driver.start();
    await vi.waitFor(() => expect(valuesOf('air-t').length).toBeGreaterThanOrEqual(3), EVENTUALLY);
    await driver.stop();
    // The service request cut the announced time short (the wait above would have given up long before).
    const first = samples.find((s) => s.sensor === 'air-t');
    expect((first?.timeMs ?? Infinity) - startedAt).toBeLessThan(ANNOUNCED_SECONDS * 1000);
    expect(new Set(valuesOf('air-t'))).toEqual(new Set([0.01]));
    expect(new Set(valuesOf('air-rh'))).toEqual(new Set([0.02]));
    expect(new Set(valuesOf('air-p'))).toEqual(new Set([0.03]));
    expect(new Set(valuesOf('soil-vwc'))).toEqual(new Set([1.01]));
    expect(new Set(valuesOf('soil-t'))).toEqual(new Set([1.02]));
    expect(new Set(valuesOf('leaf-wet'))).toEqual(new Set([2.02]));
    expect(errors).toEqual([]);
    const commands = emulator.commands;
    // Three sensors read address 0, yet each poll measured once: as many 0M! as air-t samples
    // (one more if stop() cut a cycle short).
    const measures = commands.filter((c) => c === '0M!').length;
    expect(measures - valuesOf('air-t').length).toBeOneOf([0, 1]);
    expect(valuesOf('air-rh')).toHaveLength(valuesOf('air-t').length);
    // Strictly one conversation at a time: every 0M! is followed by its own D0!, D1!, and every 1MC!
    // by its D0!, except that stop() may end the last conversation before its data were asked for.
    const followers: Record<string, string[]> = { '0M!': ['0D0!', '0D1!'], '1MC!': ['1D0!'] };
    commands.forEach((command, i) => {
      const expected = followers[command];
      if (expected === undefined) return;
      const next = commands.slice(i + 1, i + 1 + expected.length);
      expect(next).toEqual(expected.slice(0, next.length));
      if (next.length < expected.length) expect(i + 1 + next.length).toBe(commands.length);
    });
  });

  it('never takes a reply that came after its timeout for the reply to the next command', async () => {
    const pty = await ptyPair();
    const emulator = await emulatorOn(pty.b);
    emulator.setFault('0', 'late-data');
    // Each 0Dn! times out once, and its retry is answered by the first try's reply while the
    // retry's own reply is still on its way.
    const driver = driverFor(pty.a, SENSORS.slice(0, 3), LATE_TIMEOUT_MS);
    await driver.start();
    await vi.waitFor(() => expect(valuesOf('air-p').length).toBeGreaterThanOrEqual(2), { timeout: 50_000 });
    await driver.stop();
    expect(new Set(valuesOf('air-t'))).toEqual(new Set([0.01]));
    expect(new Set(valuesOf('air-rh'))).toEqual(new Set([0.02]));
    expect(new Set(valuesOf('air-p'))).toEqual(new Set([0.03]));
    expect(codesFor('air-p')).not.toContain('SDI12_MISSING_VALUE');
  });

  it('takes a service request that comes in the same read as the reply to the measurement', async () => {
    const pty = await ptyPair();
    await emulatorOn(pty.b);
    const driver = driverFor(pty.a, [sensor('rain', '3', 1)]);
    const startedAt = Date.now();
    await driver.start();
    await vi.waitFor(() => expect(valuesOf('rain').length).toBeGreaterThanOrEqual(2), EVENTUALLY);
    expect((samples[0]?.timeMs ?? Infinity) - startedAt).toBeLessThan(ANNOUNCED_SECONDS * 1000);
    expect(new Set(valuesOf('rain'))).toEqual(new Set([3.01]));
  });

  it('reports a value the measurement does not give to its sensor only', async () => {
    const pty = await ptyPair();
    await emulatorOn(pty.b);
    const driver = driverFor(pty.a, [sensor('air-t', '0', 1), sensor('air-x', '0', 4)]);
    await driver.start();
    await vi.waitFor(() => expect(codesFor('air-x')).toContain('SDI12_MISSING_VALUE'), EVENTUALLY);
    expect(valuesOf('air-t').length).toBeGreaterThan(0);
    expect(valuesOf('air-x')).toEqual([]);
    expect(errors.find((e) => e.code === 'SDI12_MISSING_VALUE')?.message).toContain(
      'gave 3 value(s) (3 announced); no value 4',
    );
  });

  it('reports silence, CRC failures, garbage and foreign addresses per sensor while the others keep reporting', async () => {
    const pty = await ptyPair();
    const emulator = await emulatorOn(pty.b);
    const driver = driverFor(pty.a);
    await driver.start();
    await vi.waitFor(() => expect(valuesOf('leaf-wet').length).toBeGreaterThan(0), EVENTUALLY);

    const faults = [
      ['1', 'bad-crc', 'soil-vwc', 'SDI12_CRC'],
      ['2', 'silent', 'leaf-wet', 'SDI12_TIMEOUT'],
      ['1', 'garbage', 'soil-t', 'SDI12_REPLY_INVALID'],
      ['2', 'wrong-address', 'leaf-wet', 'SDI12_WRONG_ADDRESS'],
      ['1', 'fewer-values', 'soil-t', 'SDI12_MISSING_VALUE'],
    ] as const;
    for (const [address, fault, victim, code] of faults) {
      emulator.setFault(address, fault);
      await vi.waitFor(() => expect(codesFor(victim)).toContain(code), EVENTUALLY);
      // Address 0 is unaffected: it goes on delivering.
      const before = valuesOf('air-t').length;
      await vi.waitFor(() => expect(valuesOf('air-t').length).toBeGreaterThan(before), EVENTUALLY);
      emulator.setFault(address, undefined);
    }
    expect(codesFor('air-t')).toEqual([]);
    const timeout = errors.find((e) => e.code === 'SDI12_TIMEOUT');
    expect(timeout?.message).toBe(`address 2: no reply to 2C! within ${REPLY_TIMEOUT_MS} ms (2 tries)`);
    expect(timeout?.sensors).toEqual(['leaf-wet']);
    expect(timeout?.context).toEqual({ port: 'sdi' });
    // fewer-values: soil-vwc (index 1) still gets its value, only soil-t (index 2) misses out.
    expect(errors.filter((e) => e.code === 'SDI12_MISSING_VALUE').flatMap((e) => e.sensors)).not.toContain(
      'soil-vwc',
    );
    const healed = valuesOf('leaf-wet').length;
    await vi.waitFor(() => expect(valuesOf('leaf-wet').length).toBeGreaterThan(healed), EVENTUALLY);
  });

  it('reports a port that vanishes and reads again once it is back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fs-sdi12-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const a = join(dir, 'gateway');
    const b = join(dir, 'adapter');
    const first = await startPtyPairAt(a, b);
    cleanups.push(() => first.stop());
    const emulator = await emulatorOn(b);
    const driver = driverFor(a, [sensor('air-t', '0', 1)]);
    await driver.start();
    await vi.waitFor(() => expect(valuesOf('air-t').length).toBeGreaterThan(0), EVENTUALLY);

    await emulator.stop();
    await first.stop();
    await vi.waitFor(() => expect(codesFor('air-t')).toContain('SERIAL_CLOSED'), EVENTUALLY);
    await vi.waitFor(() => expect(codesFor('air-t')).toContain('SERIAL_OPEN_FAILED'), EVENTUALLY);

    const second = await startPtyPairAt(a, b);
    cleanups.push(() => second.stop());
    await emulatorOn(b);
    const before = valuesOf('air-t').length;
    await vi.waitFor(() => expect(valuesOf('air-t').length).toBeGreaterThan(before), EVENTUALLY);
  });
});
