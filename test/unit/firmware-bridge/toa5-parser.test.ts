import { describe, expect, it } from 'vitest';
import { formatToa5Time, Toa5TableWriter } from '../../../emulators/toa5/toa5-table-writer.js';
import { splitCells } from '../../../firmware-bridge/drivers/toa5/csv-cells.js';
import { Toa5Parser } from '../../../firmware-bridge/drivers/toa5/toa5-parser.js';
import { parseUtcOffset, toa5TimeMs } from '../../../firmware-bridge/drivers/toa5/toa5-time.js';

const HEADER = [
  '"TOA5","Jinfo_Met","CR1000X","12345","CR1000X.Std.07.00","CPU:met.CR1X","54321","Table1"',
  '"TIMESTAMP","RECORD","AirTC_Avg","RH","BattV_Min"',
  '"TS","RN","Deg C","%","Volts"',
  '"","","Avg","Smp","Min"',
];

describe('splitCells', () => {
  it('reads quoted strings and bare numbers', () => {
    expect(splitCells('"2026-11-27 08:00:00",1234,12.5,"NAN",-3')).toEqual([
      '2026-11-27 08:00:00',
      '1234',
      '12.5',
      'NAN',
      '-3',
    ]);
    expect(splitCells('"a,b","say ""hi""",')).toEqual(['a,b', 'say "hi"', '']);
    expect(splitCells('"",""')).toEqual(['', '']);
  });

  it('refuses an unterminated quote or text after a closing quote', () => {
    expect(splitCells('"2026-11-27 08:00:00,1234')).toBeUndefined();
    expect(splitCells('"a"b,1')).toBeUndefined();
  });
});

describe('TOA5 time', () => {
  it('parses utcOffset', () => {
    expect(parseUtcOffset('+08:00')).toBe(480);
    expect(parseUtcOffset('-05:30')).toBe(-330);
    expect(parseUtcOffset('+00:00')).toBe(0);
  });

  it('turns the logger local time into UTC with the configured offset', () => {
    expect(toa5TimeMs('2026-11-27 08:00:00', 480)).toBe(Date.parse('2026-11-27T00:00:00Z'));
    expect(toa5TimeMs('2026-01-01 02:00:00', 480)).toBe(Date.parse('2025-12-31T18:00:00Z'));
    expect(toa5TimeMs('2026-11-27 08:00:00', -300)).toBe(Date.parse('2026-11-27T13:00:00Z'));
    expect(toa5TimeMs('2026-11-27 08:00:00.25', 0)).toBe(Date.parse('2026-11-27T08:00:00.250Z'));
  });

  it('refuses text that is not a real date and time', () => {
    expect(toa5TimeMs('2026-02-30 08:00:00', 0)).toBeUndefined();
    expect(toa5TimeMs('2026-13-01 08:00:00', 0)).toBeUndefined();
    expect(toa5TimeMs('2026-00-15 08:00:00', 0)).toBeUndefined();
    expect(toa5TimeMs('0099-01-01 08:00:00', 0)).toBeUndefined();
    expect(toa5TimeMs('2026-11-27 25:00:00', 0)).toBeUndefined();
    expect(toa5TimeMs('2026-11-27T08:00:00Z', 0)).toBeUndefined();
    expect(toa5TimeMs('NAN', 0)).toBeUndefined();
  });

  it('is the inverse of the emulator formatting', () => {
    const timeMs = Date.parse('2026-06-30T23:59:30Z');
    expect(formatToa5Time(timeMs, 480)).toBe('2026-07-01 07:59:30');
    expect(toa5TimeMs(formatToa5Time(timeMs, 480), 480)).toBe(timeMs);
  });
});

describe('Toa5Parser', () => {
  it('reads the four header lines, then rows aligned with the fields', () => {
    const parser = new Toa5Parser(480);
    expect(HEADER.slice(0, 3).map((line) => parser.push(line))).toEqual([undefined, undefined, undefined]);
    const header = parser.push(HEADER[3] ?? '');
    expect(header).toEqual({
      kind: 'header',
      header: {
        station: 'Jinfo_Met',
        loggerModel: 'CR1000X',
        loggerSerial: '12345',
        os: 'CR1000X.Std.07.00',
        program: 'CPU:met.CR1X',
        signature: '54321',
        table: 'Table1',
        fields: ['TIMESTAMP', 'RECORD', 'AirTC_Avg', 'RH', 'BattV_Min'],
        units: ['TS', 'RN', 'Deg C', '%', 'Volts'],
        processing: ['', '', 'Avg', 'Smp', 'Min'],
      },
    });
    expect(parser.push('"2026-11-27 08:00:00",1234,12.5,"NAN",13.1\r')).toEqual({
      kind: 'row',
      row: {
        timeMs: Date.parse('2026-11-27T00:00:00Z'),
        record: 1234,
        cells: ['2026-11-27 08:00:00', '1234', '12.5', 'NAN', '13.1'],
      },
    });
    expect(parser.push('')).toBeUndefined();
  });

  it('reports rows before any header, and malformed rows', () => {
    const parser = new Toa5Parser(0);
    expect(parser.push('"2026-11-27 08:00:00",1,2,3,4')).toMatchObject({
      kind: 'error',
      code: 'TOA5_HEADER_MISSING',
    });
    for (const line of HEADER) parser.push(line);
    expect(parser.push('"2026-11-27 08:00:00",1234,12.')).toMatchObject({
      kind: 'error',
      code: 'TOA5_ROW_INVALID',
    });
    expect(parser.push('"2026-11-27 08:00:00",x,1,2,3')).toMatchObject({
      kind: 'error',
      code: 'TOA5_ROW_INVALID',
    });
    expect(parser.push('"yesterday",1,1,2,3')).toMatchObject({ kind: 'error', code: 'TOA5_ROW_INVALID' });
    expect(parser.push('"2026-11-27 08:00:00,1,1,2,3')).toMatchObject({
      kind: 'error',
      code: 'TOA5_ROW_INVALID',
    });
    // The header survives bad rows.
    expect(parser.push('"2026-11-27 08:00:01",1235,1,2,3')).toMatchObject({ kind: 'row' });
  });

  it('refuses a header whose lines do not match, and waits for the next one', () => {
    const parser = new Toa5Parser(0);
    parser.push(HEADER[0] ?? '');
    expect(parser.push('"RECORD","TIMESTAMP"')).toMatchObject({ kind: 'error', code: 'TOA5_HEADER_INVALID' });
    expect(parser.push('"2026-11-27 08:00:00",1,2,3,4')).toMatchObject({ code: 'TOA5_HEADER_MISSING' });
    parser.push(HEADER[0] ?? '');
    parser.push(HEADER[1] ?? '');
    expect(parser.push('"TS","RN"')).toMatchObject({ kind: 'error', code: 'TOA5_HEADER_INVALID' });
    expect(parser.current).toBeUndefined();
  });

  it('starts over at a new header line, with new fields', () => {
    const parser = new Toa5Parser(0);
    for (const line of HEADER) parser.push(line);
    parser.push('"TOA5","Jinfo_Met","CR1000X","12345","os","prog","1","Table1"');
    parser.push('"TIMESTAMP","RECORD","WS_ms"');
    parser.push('"TS","RN","meters/second"');
    expect(parser.push('"","","Smp"')).toMatchObject({
      kind: 'header',
      header: { fields: ['TIMESTAMP', 'RECORD', 'WS_ms'] },
    });
    expect(parser.push('"2026-11-27 08:00:00",0,3.2')).toMatchObject({ kind: 'row', row: { record: 0 } });
  });

  it('reads what the emulator writes, a UTF-8 BOM included', () => {
    const writer = new Toa5TableWriter({
      columns: [{ name: 'AirTC_Avg', unit: 'Deg C', processing: 'Avg' }],
      offsetMinutes: 480,
      valueOf: () => 21.456,
      firstRecord: 7,
    });
    const parser = new Toa5Parser(480);
    const [first, ...rest] = writer.header();
    parser.push(`\uFEFF${first}`);
    for (const line of rest) parser.push(line);
    const timeMs = Date.parse('2026-11-27T00:00:00Z');
    expect(parser.push(writer.row(timeMs))).toEqual({
      kind: 'row',
      row: { timeMs, record: 7, cells: ['2026-11-27 08:00:00', '7', '21.46'] },
    });
  });
});
