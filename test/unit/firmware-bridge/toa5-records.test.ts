import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { RawSample } from '../../../firmware-bridge/drivers/driver.js';
import { checkRecord, isAfter } from '../../../firmware-bridge/drivers/toa5/record-order.js';
import {
  Toa5TableReader,
  type Toa5TableReaderOptions,
} from '../../../firmware-bridge/drivers/toa5/toa5-table-reader.js';
import type { SensorError } from '../../../firmware-bridge/errors.js';

const logger = pino({ level: 'silent' });
const HEADER = [
  '"TOA5","Jinfo_Met","CR1000X","12345","CR1000X.Std.07.00","CPU:met.CR1X","54321","Table1"',
  '"TIMESTAMP","RECORD","AirTC_Avg","RH"',
  '"TS","RN","Deg C","%"',
  '"","","Avg","Smp"',
];
const T0 = Date.parse('2026-11-27T00:00:00Z');

function row(second: number, record: number, air: string, rh: string): string {
  return `"2026-11-27 08:00:${String(second).padStart(2, '0')}",${record},${air},${rh}`;
}

function reader(options: Partial<Toa5TableReaderOptions> = {}) {
  const samples: RawSample[] = [];
  const errors: SensorError[] = [];
  const table = new Toa5TableReader({
    source: 'port logger',
    context: { port: 'logger' },
    sensors: [
      { id: 'air-t', column: 'AirTC_Avg' },
      { id: 'rh', column: 'RH' },
    ],
    offsetMinutes: 480,
    sink: { sample: (s) => samples.push(s), error: (e) => errors.push(e) },
    logger,
    skipTaken: false,
    ...options,
  });
  return { table, samples, errors };
}

describe('RECORD order', () => {
  it('tells in-sequence rows, gaps with their size, and resets', () => {
    expect(checkRecord(10, 11)).toEqual({ kind: 'in-sequence' });
    expect(checkRecord(10, 14)).toEqual({ kind: 'gap', missing: 3 });
    expect(checkRecord(10, 0)).toEqual({ kind: 'reset', from: 10, to: 0 });
    expect(checkRecord(10, 10)).toEqual({ kind: 'reset', from: 10, to: 10 });
  });

  it('orders rows by time, then RECORD', () => {
    expect(isAfter({ timeMs: 2, record: 0 }, { timeMs: 1, record: 9 })).toBe(true);
    expect(isAfter({ timeMs: 1, record: 10 }, { timeMs: 1, record: 9 })).toBe(true);
    expect(isAfter({ timeMs: 1, record: 9 }, { timeMs: 1, record: 9 })).toBe(false);
    expect(isAfter({ timeMs: 0, record: 99 }, { timeMs: 1, record: 9 })).toBe(false);
  });
});

describe('Toa5TableReader', () => {
  it('delivers each column to its sensor with the row time in UTC', () => {
    const { table, samples, errors } = reader();
    for (const line of HEADER) table.pushLine(line);
    table.pushLine(row(0, 100, '12.5', '80'));
    expect(samples).toEqual([
      { sensor: 'air-t', value: 12.5, timeMs: T0 },
      { sensor: 'rh', value: 80, timeMs: T0 },
    ]);
    expect(errors).toEqual([]);
    expect(table.position).toEqual({ record: 100, timeMs: T0 });
  });

  it('reports NAN as a missing value for that sensor only, and a non-number as invalid', () => {
    const { table, samples, errors } = reader();
    for (const line of HEADER) table.pushLine(line);
    table.pushLine(row(0, 1, '"NAN"', '80'));
    table.pushLine(row(1, 2, '12', '"oops"'));
    expect(samples.map((s) => s.sensor)).toEqual(['rh', 'air-t']);
    expect(errors.map((e) => [e.code, e.sensors])).toEqual([
      ['TOA5_VALUE_MISSING', ['air-t']],
      ['TOA5_VALUE_INVALID', ['rh']],
    ]);
    expect(errors[0]?.message).toContain('AirTC_Avg at RECORD 1');
  });

  it('reports a number too large for a double as invalid, not as Infinity', () => {
    const { table, samples, errors } = reader();
    for (const line of HEADER) table.pushLine(line);
    table.pushLine(row(0, 1, '1e999', '9'.repeat(400)));
    expect(samples).toEqual([]);
    expect(errors.map((e) => e.code)).toEqual(['TOA5_VALUE_INVALID', 'TOA5_VALUE_INVALID']);
  });

  it('reports a RECORD gap with the number of missing records, and a RECORD going back as a reset', () => {
    const { table, samples, errors } = reader();
    for (const line of HEADER) table.pushLine(line);
    table.pushLine(row(0, 10, '1', '1'));
    table.pushLine(row(1, 14, '1', '1'));
    table.pushLine(row(2, 0, '1', '1'));
    expect(samples).toHaveLength(6);
    expect(errors.map((e) => e.code)).toEqual(['TOA5_RECORD_GAP', 'TOA5_LOGGER_RESET']);
    expect(errors[0]?.message).toContain('3 record(s) missing');
    expect(errors[0]?.sensors).toEqual(['air-t', 'rh']);
    expect(errors[1]?.message).toContain('from 14 to 0');
  });

  it('names the missing column and the columns present; the other sensors keep reporting', () => {
    const { table, samples, errors } = reader({
      sensors: [
        { id: 'air-t', column: 'AirTC_Avg' },
        { id: 'ws', column: 'WS_ms_Avg' },
      ],
    });
    for (const line of HEADER) table.pushLine(line);
    table.pushLine(row(0, 1, '3', '4'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'TOA5_COLUMN_MISSING', sensors: ['ws'] });
    expect(errors[0]?.message).toContain('"WS_ms_Avg"');
    expect(errors[0]?.message).toContain('TIMESTAMP, RECORD, AirTC_Avg, RH');
    expect(samples).toEqual([{ sensor: 'air-t', value: 3, timeMs: T0 }]);
  });

  it('skips rows until a header arrives, warning once and counting no sensor error', () => {
    const warnings: string[] = [];
    const watching = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
    const { table, samples, errors } = reader({ logger: watching });
    table.pushLine(row(0, 1, '1', '1'));
    table.pushLine(row(1, 2, '1', '1'));
    expect(samples).toEqual([]);
    expect(errors).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('TOA5_HEADER_MISSING');
    for (const line of HEADER) table.pushLine(line);
    table.pushLine(row(2, 3, '5', '6'));
    expect(samples.map((s) => s.value)).toEqual([5, 6]);
  });

  it('skips rows already taken when resuming a file, and counts a gap from the remembered RECORD', () => {
    const { table, samples, errors } = reader({
      skipTaken: true,
      resumeFrom: { record: 2, timeMs: T0 + 2000 },
    });
    for (const line of HEADER) table.pushLine(line);
    for (let r = 0; r <= 2; r += 1) table.pushLine(row(r, r, '1', '1'));
    expect(samples).toEqual([]);
    table.pushLine(row(5, 5, '7', '8'));
    expect(samples.map((s) => s.value)).toEqual([7, 8]);
    expect(errors.map((e) => e.code)).toEqual(['TOA5_RECORD_GAP']);
    expect(errors[0]?.message).toContain('2 record(s) missing');
  });

  it('moves the position without delivering while skipping a backlog', () => {
    const { table, samples, errors } = reader({ skipTaken: true });
    for (const line of HEADER) table.pushLine(line);
    table.pushLine(row(0, 1, '1', '1'), false);
    table.pushLine(row(1, 5, '"NAN"', '1'), false);
    expect(samples).toEqual([]);
    expect(errors).toEqual([]);
    table.pushLine(row(2, 6, '2', '2'));
    expect(samples.map((s) => s.value)).toEqual([2, 2]);
    expect(errors).toEqual([]);
  });
});
