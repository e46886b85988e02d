import { mkdtemp, rm, symlink, unlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  bme280ChannelName,
  FirmataBoardEmulator,
} from '../../../emulators/firmata/firmata-board-emulator.js';
import type { SensorOf } from '../../../firmware-bridge/config/schema.js';
import { GatewayConfigSchema } from '../../../firmware-bridge/config/schema.js';
import type { RawSample, SensorDriver } from '../../../firmware-bridge/drivers/driver.js';
import { Board } from '../../../firmware-bridge/drivers/firmata/johnny-five.js';
import { createDrivers } from '../../../firmware-bridge/drivers/index.js';
import type { SensorError } from '../../../firmware-bridge/errors.js';
import { SamplePipeline } from '../../../firmware-bridge/sampling/sample-pipeline.js';
import type { Reading } from '../../../protocol/index.js';
import { type PtyPair, startPtyPair } from '../../harness/socat.js';

const logger = pino({ level: process.env.FS_TEST_LOG ?? 'silent' });
const RETRY = { initialDelayMs: 50, maxDelayMs: 200, factor: 2, jitter: 1 };

const VALUES: Record<string, number> = {
  A0: 512,
  A1: 1023,
  A2: 100,
  [bme280ChannelName(0x76, 'temperature')]: 21.37,
  [bme280ChannelName(0x76, 'humidity')]: 47.5,
  [bme280ChannelName(0x76, 'pressure')]: 1013.25,
};

function gatewayConfig(path: string) {
  const sensor = (
    id: string,
    quantity: string,
    unit: string,
    driver: Record<string, unknown>,
    extra = {},
  ) => ({
    id,
    quantity,
    unit,
    intervalMs: 100,
    driver: { type: 'firmata', port: 'uno', ...driver },
    ...extra,
  });
  return GatewayConfigSchema.parse({
    station: 'jinfo',
    gateway: 'cave-gw',
    mqtt: { url: 'mqtt://127.0.0.1:1883' },
    outbox: { dir: 'outbox' },
    serialPorts: [
      {
        id: 'uno',
        path,
        baudRate: 57600,
        protocol: { type: 'firmata', samplingIntervalMs: 20, bootDelayMs: 0, replyTimeoutMs: 800 },
      },
    ],
    sensors: [
      // A thermistor divider read raw and calibrated to Cel by the gateway.
      sensor(
        'soil-temp',
        'soil-temperature',
        'Cel',
        { kind: 'analog', pin: 'A0' },
        {
          calibration: { scale: 0.1, offset: -10 },
        },
      ),
      sensor('battery', 'battery-voltage', 'V', { kind: 'analog', pin: 'A1', aref: 5 }),
      sensor('light', 'light', '1', { kind: 'analog', pin: 'A2' }),
      sensor('air-temp', 'air-temperature', 'Cel', { kind: 'bme280', address: 0x76, field: 'temperature' }),
      sensor('air-rh', 'relative-humidity', '%', { kind: 'bme280', address: 0x76, field: 'humidity' }),
      sensor('air-p', 'air-pressure', 'hPa', { kind: 'bme280', address: 0x76, field: 'pressure' }),
    ],
  });
}

describe('firmata driver against an emulated StandardFirmata board', () => {
  let dir: string;
  let link: string;
  const readings: Reading[] = [];
  const samples: RawSample[] = [];
  const errors: SensorError[] = [];
  const cleanup: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-firmata-'));
    // The driver opens a stable name, as /dev/serial/by-id/... is on a gateway; the PTY behind it may change.
    link = join(dir, 'uno');
    readings.length = 0;
    samples.length = 0;
    errors.length = 0;
  });
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup.length = 0;
    await rm(dir, { recursive: true, force: true });
  });

  async function plugIn(): Promise<{ pty: PtyPair; board: FirmataBoardEmulator }> {
    const pty = await startPtyPair();
    cleanup.push(() => pty.stop());
    await unlink(link).catch(() => undefined);
    await symlink(pty.a, link);
    const board = new FirmataBoardEmulator({ path: pty.b, valueOf: (channel) => VALUES[channel] ?? 0 });
    await board.start();
    cleanup.push(() => board.stop());
    return { pty, board };
  }

  async function started(): Promise<SensorDriver> {
    const config = gatewayConfig(link);
    const pipeline = new SamplePipeline({
      sensors: config.sensors,
      clockUnsynced: () => false,
      emit: (reading) => readings.push(reading),
      reject: (sensor, reason) => logger.warn({ sensor }, reason),
    });
    const sink = {
      sample: (sample: RawSample) => {
        samples.push(sample);
        pipeline.accept(sample);
      },
      error: (error: SensorError) => errors.push(error),
    };
    const sensors = config.sensors.filter((s): s is SensorOf<'firmata'> => s.driver.type === 'firmata');
    const [driver] = await createDrivers({ ...config, sensors }, { sink, logger, retry: RETRY });
    if (driver === undefined) throw new Error('no driver for the firmata port');
    await driver.start();
    cleanup.push(() => driver.stop());
    return driver;
  }

  const valuesOf = (sensor: string) => readings.filter((r) => r.sensor === sensor).map((r) => r.value);
  const codesOf = (sensor: string) => errors.filter((e) => e.sensors.includes(sensor)).map((e) => e.code);
  async function moreReadings(sensors: readonly string[], more = 3): Promise<void> {
    const before = new Map(sensors.map((sensor) => [sensor, valuesOf(sensor).length]));
    await vi.waitFor(
      () => {
        for (const sensor of sensors)
          expect(valuesOf(sensor).length).toBeGreaterThanOrEqual((before.get(sensor) ?? 0) + more);
      },
      { timeout: 10_000, interval: 50 },
    );
  }
  const ALL = ['soil-temp', 'battery', 'light', 'air-temp', 'air-rh', 'air-p'];
  const BME = ['air-temp', 'air-rh', 'air-p'];

  it('reads analog pins (calibrated by the gateway) and the BME280 fields through Johnny-Five', async () => {
    await plugIn();
    await started();
    await moreReadings(ALL);
    expect(new Set(valuesOf('soil-temp'))).toEqual(new Set([41.2]));
    expect(new Set(valuesOf('battery'))).toEqual(new Set([5]));
    expect(new Set(valuesOf('light'))).toEqual(new Set([100]));
    expect(valuesOf('air-temp').at(-1)).toBeCloseTo(21.37, 2);
    expect(valuesOf('air-rh').at(-1)).toBeCloseTo(47.5, 2);
    expect(valuesOf('air-p').at(-1)).toBeCloseTo(1013.25, 2);
    expect(errors).toEqual([]);
  });

  it('stops every timer Johnny-Five started and loads neither `firmata` nor serialport 8', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const { board, pty } = await plugIn();
    const before = timers();
    const driver = await started();
    await moreReadings(ALL);
    // Johnny-Five's Multi, Thermometer, Barometer, Hygrometer, Altimeter and Sensor all run intervals.
    expect(timers()).toBeGreaterThan(before + 5);
    await driver.stop();
    expect(timers()).toBeLessThanOrEqual(before);
    expect(Board.cache).toEqual([]);
    await board.stop();
    await pty.stop();
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    expect(loaded.some((path) => path.includes('/johnny-five/'))).toBe(true);
    // Our serialport 13 is loaded; Johnny-Five's optional firmata and serialport 8 (native, unbuilt) are not.
    const theirs = /node_modules\/(firmata\/|johnny-five\/node_modules\/|@serialport\/bindings\/)/;
    expect(loaded.filter((path) => theirs.test(path))).toEqual([]);
  });

  it('counts a bad or silent pin against its own sensor while the others keep reporting', async () => {
    const { board } = await plugIn();
    await started();
    await moreReadings(ALL);
    board.setChannelFault('A1', 'out-of-range');
    board.setChannelFault('A2', 'silent');
    await vi.waitFor(() => expect(codesOf('battery')).toContain('FIRMATA_VALUE_INVALID'), { timeout: 5000 });
    await vi.waitFor(() => expect(codesOf('light')).toContain('FIRMATA_STALE'), { timeout: 5000 });
    await moreReadings(['soil-temp', ...BME]);
    expect(codesOf('soil-temp')).toEqual([]);
    expect(codesOf('air-temp')).toEqual([]);
  });

  it('counts an absent I2C device against the BME280 sensors only, and reads it again once back', async () => {
    const { board } = await plugIn();
    await started();
    await moreReadings(ALL);
    board.setI2cDevicePresent(0x76, false);
    await vi.waitFor(() => {
      for (const id of BME) expect(codesOf(id)).toContain('FIRMATA_I2C_READ_FAILED');
    });
    await moreReadings(['soil-temp', 'battery']);
    const before = BME.map((id) => valuesOf(id).length);
    board.setI2cDevicePresent(0x76, true);
    await moreReadings(BME);
    // No reading was made of the short reads in between.
    for (const [i, id] of BME.entries()) {
      expect(
        valuesOf(id)
          .slice(before[i])
          .every((v) => Math.abs(v - (VALUES[bme(id)] ?? 0)) < 0.01),
      ).toBe(true);
    }
    expect(codesOf('soil-temp')).toEqual([]);
  });

  it('counts a board that does not answer against every sensor and starts it over once it talks', async () => {
    const { board } = await plugIn();
    board.setBoardFault('silent');
    await started();
    await vi.waitFor(
      () => {
        for (const id of ALL) expect(codesOf(id)).toContain('FIRMATA_NO_REPLY');
      },
      { timeout: 5000 },
    );
    expect(readings).toEqual([]);
    board.setBoardFault(undefined);
    await moreReadings(ALL);

    // Falling silent while running is a fault of the board too.
    const count = errors.length;
    board.setBoardFault('silent');
    await vi.waitFor(() => expect(errors.slice(count).map((e) => e.code)).toContain('FIRMATA_NO_REPLY'), {
      timeout: 5000,
    });
    board.setBoardFault(undefined);
    await moreReadings(ALL);
  });

  it('counts garbage between the messages and keeps reading the values around it', async () => {
    const { board } = await plugIn();
    await started();
    await moreReadings(ALL);
    board.setBoardFault('garbage');
    await vi.waitFor(() => expect(codesOf('soil-temp')).toContain('FIRMATA_GARBAGE'), { timeout: 5000 });
    await moreReadings(ALL);
    expect(new Set(valuesOf('soil-temp'))).toEqual(new Set([41.2]));
  });

  it('counts the port vanishing, retries, and reads again from a new board session once it is back', async () => {
    const first = await plugIn();
    await started();
    await moreReadings(ALL);
    await first.board.stop();
    await first.pty.stop();
    await vi.waitFor(() => expect(codesOf('air-p')).toContain('SERIAL_CLOSED'));
    await vi.waitFor(() => expect(codesOf('air-p')).toContain('SERIAL_OPEN_FAILED'));
    await plugIn();
    await moreReadings(ALL);
  });
});

function bme(id: string): string {
  const field = { 'air-temp': 'temperature', 'air-rh': 'humidity', 'air-p': 'pressure' } as const;
  return bme280ChannelName(0x76, field[id as keyof typeof field]);
}
