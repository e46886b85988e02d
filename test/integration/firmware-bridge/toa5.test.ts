import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Toa5FileWriter } from '../../../emulators/toa5/toa5-file-writer.js';
import { Toa5LoggerEmulator } from '../../../emulators/toa5/toa5-logger-emulator.js';
import type { Toa5Column } from '../../../emulators/toa5/toa5-table-writer.js';
import type { RawSample } from '../../../firmware-bridge/drivers/driver.js';
import type { FileSource } from '../../../firmware-bridge/drivers/toa5/config.js';
import { Toa5FileDriver } from '../../../firmware-bridge/drivers/toa5/toa5-file-driver.js';
import {
  type Toa5PortConfig,
  type Toa5SensorConfig,
  Toa5SerialDriver,
} from '../../../firmware-bridge/drivers/toa5/toa5-serial-driver.js';
import type { SensorError } from '../../../firmware-bridge/errors.js';
import { startPtyPair } from '../../harness/socat.js';

const logger = pino({ level: process.env.FS_TEST_LOG ?? 'silent' });
const RETRY = { initialDelayMs: 20, maxDelayMs: 80, factor: 2, jitter: 1 };
const T0 = Date.parse('2026-11-27T00:00:00Z');
const MINUTE = 60_000;

const COLUMNS: Toa5Column[] = [
  { name: 'AirTC_Avg', unit: 'Deg C', processing: 'Avg' },
  { name: 'RH', unit: '%', processing: 'Smp' },
];
/** Values that tell the time: AirTC_Avg is the minute since T0, RH that plus 50. */
const columnValue = (column: string, timeMs: number) => (timeMs - T0) / MINUTE + (column === 'RH' ? 50 : 0);

function sensor(id: string, column: string, source: { port: string } | { file: string }): Toa5SensorConfig {
  return {
    id,
    quantity: 'temperature',
    unit: 'Cel',
    intervalMs: 60_000,
    driver: { type: 'toa5', column, ...source },
  };
}

describe('TOA5', () => {
  const samples: RawSample[] = [];
  const errors: SensorError[] = [];
  const sink = { sample: (s: RawSample) => samples.push(s), error: (e: SensorError) => errors.push(e) };
  const cleanups: (() => Promise<void>)[] = [];
  let dir: string;

  beforeEach(async () => {
    samples.length = 0;
    errors.length = 0;
    dir = await mkdtemp(join(tmpdir(), 'fs-toa5-'));
  });
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
    await rm(dir, { recursive: true, force: true });
  });

  const valuesOf = (id: string) => samples.filter((s) => s.sensor === id).map((s) => s.value);
  const codes = () => errors.map((e) => e.code);

  describe('from a serial port', () => {
    async function setUp(sensors: Toa5SensorConfig[]) {
      const pty = await startPtyPair();
      cleanups.push(() => pty.stop());
      const port: Toa5PortConfig = {
        id: 'logger',
        path: pty.a,
        baudRate: 9600,
        dataBits: 8,
        parity: 'none',
        stopBits: 1,
        protocol: { type: 'toa5', utcOffset: '+08:00' },
      };
      const driver = new Toa5SerialDriver({ port, sensors, sink, logger, retry: RETRY });
      cleanups.push(() => driver.stop());
      await driver.start();
      const emulator = new Toa5LoggerEmulator({
        path: pty.b,
        columns: COLUMNS,
        offsetMinutes: 480,
        valueOf: columnValue,
        firstRecord: 100,
      });
      cleanups.push(() => emulator.stop());
      await emulator.start();
      return { pty, driver, emulator };
    }

    it('reads rows with their timestamps converted from the logger zone, and reports NAN, gaps, bad rows and resets', async () => {
      const { emulator } = await setUp([
        sensor('air-t', 'AirTC_Avg', { port: 'logger' }),
        sensor('rh', 'RH', { port: 'logger' }),
      ]);
      await emulator.writeRow(T0);
      await emulator.writeRow(T0 + MINUTE);
      await vi.waitFor(() => expect(samples).toHaveLength(4));
      expect(samples).toEqual([
        { sensor: 'air-t', value: 0, timeMs: T0 },
        { sensor: 'rh', value: 50, timeMs: T0 },
        { sensor: 'air-t', value: 1, timeMs: T0 + MINUTE },
        { sensor: 'rh', value: 51, timeMs: T0 + MINUTE },
      ]);

      emulator.setFault('AirTC_Avg', 'nan');
      await emulator.writeRow(T0 + 2 * MINUTE);
      await vi.waitFor(() => expect(codes()).toEqual(['TOA5_VALUE_MISSING']));
      expect(errors[0]?.sensors).toEqual(['air-t']);
      await vi.waitFor(() => expect(valuesOf('rh')).toEqual([50, 51, 52]));
      emulator.setFault('AirTC_Avg', undefined);

      emulator.skipRecords(4);
      await emulator.writeRow(T0 + 7 * MINUTE);
      await vi.waitFor(() => expect(codes()).toContain('TOA5_RECORD_GAP'));
      expect(errors.find((e) => e.code === 'TOA5_RECORD_GAP')?.message).toContain('4 record(s) missing');

      await emulator.writeMalformedRow(T0 + 8 * MINUTE);
      await vi.waitFor(() => expect(codes()).toContain('TOA5_ROW_INVALID'));

      await emulator.reset();
      await emulator.writeRow(T0 + 9 * MINUTE);
      await vi.waitFor(() => expect(codes()).toContain('TOA5_LOGGER_RESET'));
      await vi.waitFor(() => expect(valuesOf('air-t')).toEqual([0, 1, 7, 9]));
    });

    it('names a missing column and the columns present, and keeps the other sensors reporting', async () => {
      const { emulator } = await setUp([
        sensor('air-t', 'AirTC_Avg', { port: 'logger' }),
        sensor('ws', 'WS_ms', { port: 'logger' }),
      ]);
      await emulator.writeRow(T0);
      await vi.waitFor(() => expect(valuesOf('air-t')).toEqual([0]));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({
        code: 'TOA5_COLUMN_MISSING',
        sensors: ['ws'],
        context: { port: 'logger' },
      });
      expect(errors[0]?.message).toBe(
        'column "WS_ms" is not in table "Table1" of port logger; columns: TIMESTAMP, RECORD, AirTC_Avg, RH',
      );
    });

    it('reports the port closing and keeps trying to reopen it', async () => {
      const { pty, emulator } = await setUp([sensor('air-t', 'AirTC_Avg', { port: 'logger' })]);
      await emulator.writeRow(T0);
      await vi.waitFor(() => expect(valuesOf('air-t')).toEqual([0]));
      await emulator.stop();
      await pty.stop();
      await vi.waitFor(() => expect(codes()).toContain('SERIAL_CLOSED'));
      await vi.waitFor(() => expect(codes()).toContain('SERIAL_OPEN_FAILED'));
    });
  });

  describe('from a file LoggerNet appends to', () => {
    const SENSORS = [sensor('air-t', 'AirTC_Avg', { file: 'met' }), sensor('rh', 'RH', { file: 'met' })];

    function source(path: string, backfill = false): FileSource {
      return {
        id: 'met',
        path,
        protocol: { type: 'toa5', utcOffset: '+08:00', pollIntervalMs: 30, backfill },
      };
    }

    function fileDriver(path: string, backfill = false): Toa5FileDriver {
      const driver = new Toa5FileDriver({
        file: source(path, backfill),
        sensors: SENSORS,
        sink,
        logger,
        stateDir: join(dir, 'state'),
      });
      cleanups.push(() => driver.stop());
      return driver;
    }

    function writer(path: string, firstRecord = 0): Toa5FileWriter {
      return new Toa5FileWriter({
        path,
        columns: COLUMNS,
        offsetMinutes: 480,
        valueOf: columnValue,
        firstRecord,
      });
    }

    it('follows new rows only, remembers the last one, and after a restart sends what came meanwhile, once', async () => {
      const path = join(dir, 'CR1000X_Table1.dat');
      const logger1 = writer(path);
      await logger1.create();
      await logger1.appendRows(5, T0, MINUTE);
      const first = fileDriver(path);
      await first.start();
      await logger1.appendRows(2, T0 + 5 * MINUTE, MINUTE);
      await vi.waitFor(() => expect(valuesOf('air-t')).toEqual([5, 6]));
      expect(samples[0]).toEqual({ sensor: 'air-t', value: 5, timeMs: T0 + 5 * MINUTE });

      // A line caught halfway is read once it is complete.
      await logger1.appendPartial(`"2026-11-27 08:07:00",7,7`);
      await logger1.appendPartial(',57\r\n');
      await vi.waitFor(() => expect(valuesOf('air-t')).toEqual([5, 6, 7]));
      // Record 7 was written by hand above, record 8 the logger will lose.
      logger1.skipRecords(2);
      await first.stop();
      const state = JSON.parse(await readFile(join(dir, 'state', 'met.json'), 'utf8'));
      expect(state).toEqual({ v: 1, path, record: 7, timeMs: T0 + 7 * MINUTE });

      // While the gateway is down the logger writes on (one record lost to a gap).
      await logger1.appendRows(2, T0 + 9 * MINUTE, MINUTE);
      const second = fileDriver(path);
      await second.start();
      await vi.waitFor(() => expect(valuesOf('air-t')).toEqual([5, 6, 7, 9, 10]));
      expect(codes()).toEqual(['TOA5_RECORD_GAP']);
      expect(errors[0]?.message).toBe('1 record(s) missing from file met: RECORD 7 then 9');
      expect(errors[0]?.context).toEqual({ file: path });
    });

    it('reads a replaced file from its header, and one truncated and rewritten without resending its rows', async () => {
      const path = join(dir, 'CR1000X_Table1.dat');
      const old = writer(path, 100);
      await old.create();
      const driver = fileDriver(path);
      await driver.start();
      await old.appendRows(2, T0, MINUTE);
      await vi.waitFor(() => expect(valuesOf('air-t')).toEqual([0, 1]));

      // LoggerNet's file rotation: the old file moved away, a new one with a new header, RECORD going on.
      await rename(path, join(dir, 'CR1000X_Table1.dat.1'));
      const rotated = writer(path, 102);
      await rotated.create();
      await rotated.appendRows(1, T0 + 2 * MINUTE, MINUTE);
      await vi.waitFor(() => expect(valuesOf('air-t')).toEqual([0, 1, 2]));

      // Truncated and written again from the start: rows already sent are not sent again.
      const rewritten = writer(path, 100);
      await rewritten.create();
      await rewritten.appendRows(4, T0, MINUTE);
      await vi.waitFor(() => expect(valuesOf('air-t')).toEqual([0, 1, 2, 3]));
      expect(codes()).toEqual([]);
    });

    it('sends the rows already in the file with backfill, and reports NAN and bad rows', async () => {
      const path = join(dir, 'table.dat');
      const logger1 = writer(path);
      await logger1.create();
      await logger1.appendRows(2, T0, MINUTE);
      logger1.setFault('RH', 'nan');
      await logger1.appendRows(1, T0 + 2 * MINUTE, MINUTE);
      await logger1.appendMalformedRow(T0 + 3 * MINUTE);
      await fileDriver(path, true).start();
      await vi.waitFor(() => expect(valuesOf('air-t')).toEqual([0, 1, 2]));
      expect(valuesOf('rh')).toEqual([50, 51]);
      expect(errors.map((e) => [e.code, e.sensors])).toEqual([
        ['TOA5_VALUE_MISSING', ['rh']],
        ['TOA5_ROW_INVALID', ['air-t', 'rh']],
      ]);
    });

    it('reports a file that is not there yet once, and reads it when it appears', async () => {
      const path = join(dir, 'later.dat');
      await fileDriver(path).start();
      expect(codes()).toEqual(['TOA5_FILE_UNREADABLE']);
      expect(errors[0]?.message).toContain(path);
      const late = writer(path);
      await late.create();
      await late.appendRows(1, T0, MINUTE);
      await vi.waitFor(() => expect(valuesOf('rh')).toEqual([50]));
      expect(codes()).toEqual(['TOA5_FILE_UNREADABLE']);
    });
  });
});
