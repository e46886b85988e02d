import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadlineParser } from '@serialport/parser-readline';
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SensorConfigSchema } from '../../firmware-bridge/config/schema.js';
import type { DriverSink, RawSample } from '../../firmware-bridge/drivers/driver.js';
import { FileSourceSchema } from '../../firmware-bridge/drivers/toa5/config.js';
import { Toa5FileDriver } from '../../firmware-bridge/drivers/toa5/toa5-file-driver.js';
import { type Toa5Event, Toa5Parser } from '../../firmware-bridge/drivers/toa5/toa5-parser.js';
import type { Toa5SensorConfig } from '../../firmware-bridge/drivers/toa5/toa5-serial-driver.js';
import { Toa5TableReader } from '../../firmware-bridge/drivers/toa5/toa5-table-reader.js';
import { toa5TimeMs } from '../../firmware-bridge/drivers/toa5/toa5-time.js';
import { SensorError } from '../../firmware-bridge/errors.js';
import { chunked, cuts, expectCode, mutated, numberText, oddText, RUNS } from './fuzz-inputs.js';

const logger = pino({ level: 'silent' });
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Date and time fields a little past their ranges, as noise or a bad clock would write them. */
const stampParts = fc.record({
  year: fc.nat(9999),
  month: fc.nat(14),
  day: fc.nat(33),
  hour: fc.nat(25),
  minute: fc.nat(61),
  second: fc.nat(61),
  fraction: fc.option(fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 6 })),
});
type StampParts = typeof stampParts extends fc.Arbitrary<infer T> ? T : never;

function stampText(p: StampParts): string {
  const date = `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
  const time = `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
  return `${date} ${time}${p.fraction === null ? '' : `.${p.fraction}`}`;
}

const offsetMinutes = fc.integer({ min: -14 * 60, max: 14 * 60 });

describe('TOA5 TIMESTAMP, fuzzed', () => {
  it('gives undefined or the very date and time written, never a neighbour it rolled over into', () => {
    fc.assert(
      fc.property(stampParts, offsetMinutes, (parts, offset) => {
        const text = stampText(parts);
        const timeMs = toa5TimeMs(text, offset);
        if (timeMs === undefined) return;
        const local = new Date(timeMs + offset * 60_000).toISOString();
        expect(local.slice(0, 19).replace('T', ' ')).toBe(text.slice(0, 19));
      }),
      { numRuns: RUNS },
    );
  });

  it('gives undefined or a finite instant for any text', () => {
    const text = fc.oneof(mutated(stampParts.map(stampText)), oddText(40));
    fc.assert(
      fc.property(text, offsetMinutes, (stamp, offset) => {
        const timeMs = toa5TimeMs(stamp, offset);
        if (timeMs !== undefined) expect(Number.isFinite(timeMs)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

const FIELDS = ['TIMESTAMP', 'RECORD', 'AirTC_Avg', 'RH', 'BP_mbar'];
const quoted = (cells: readonly string[]) => cells.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(',');

const cell = fc.oneof(
  { arbitrary: numberText, weight: 6 },
  fc.constantFrom('NAN', 'INF', '-INF', '"NAN"', '', '7999'),
  oddText(10),
);
/** Mostly real dates, as a logger writes them; now and then one past the calendar. */
const rowStamp = fc.oneof(
  {
    arbitrary: fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2099-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((date) => date.toISOString().slice(0, 19).replace('T', ' ')),
    weight: 3,
  },
  stampParts.map(stampText),
);
const row = fc
  .tuple(
    rowStamp,
    fc.oneof({ arbitrary: fc.nat(10_000).map(String), weight: 5 }, oddText(12)),
    fc.array(cell, { minLength: 3, maxLength: 3 }),
  )
  .map(([stamp, record, cells]) => [`"${stamp}"`, record, ...cells].join(','));

const HEADER = [
  '"TOA5","Jinfo_Met","CR1000X","12345","CR1000X.Std.07.00","CPU:met.CR1X","54321","Table1"',
  quoted(FIELDS),
  quoted(['TS', 'RN', 'Deg C', '%', 'mbar']),
  quoted(['', '', 'Avg', 'Smp', 'Smp']),
];
const headerLine = fc.constantFrom(...HEADER);
/** A table's lines: mostly a header then rows, now and then a header line out of place or noise. */
const tableBody = fc.array(
  fc.oneof({ arbitrary: mutated(row), weight: 8 }, headerLine, mutated(headerLine), oddText(60)),
  { maxLength: 12 },
);
const tableText = fc.oneof(
  { arbitrary: tableBody.map((body) => [...HEADER, ...body]), weight: 3 },
  { arbitrary: tableBody, weight: 1 },
);

function expectEvent(event: Toa5Event | undefined, parser: Toa5Parser): void {
  if (event === undefined) return;
  if (event.kind === 'error') expectCode(event.code, 'TOA5_');
  if (event.kind === 'header') expect(event.header.fields.slice(0, 2)).toEqual(['TIMESTAMP', 'RECORD']);
  if (event.kind === 'row') {
    expect(event.row.cells.length).toBe(parser.current?.fields.length);
    expect(Number.isFinite(event.row.timeMs)).toBe(true);
    expect(Number.isSafeInteger(event.row.record)).toBe(true);
  }
}

describe('TOA5 parser, fuzzed', () => {
  it('turns any lines into headers, rows that fit them, or coded TOA5_ errors', () => {
    fc.assert(
      fc.property(tableText, offsetMinutes, (lines, offset) => {
        const parser = new Toa5Parser(offset);
        for (const line of lines) expectEvent(parser.push(line), parser);
      }),
      { numRuns: RUNS },
    );
  });
});

const COLUMN_SENSORS = [
  { id: 'air-t', column: 'AirTC_Avg' },
  { id: 'rh', column: 'RH' },
  { id: 'bp', column: 'BP_mbar' },
  { id: 'gone', column: 'Missing' },
];

/** A sink that checks what drivers deliver: finite samples of known sensors, coded TOA5_ errors. */
function checkingSink(): DriverSink & { samples: RawSample[]; errors: SensorError[] } {
  const samples: RawSample[] = [];
  const errors: SensorError[] = [];
  return {
    samples,
    errors,
    sample: (sample) => samples.push(sample),
    error: (error) => errors.push(error),
  };
}

function expectDelivered(sink: ReturnType<typeof checkingSink>): void {
  const ids = COLUMN_SENSORS.map(({ id }) => id);
  for (const sample of sink.samples) {
    expect(ids).toContain(sample.sensor);
    expect(Number.isFinite(sample.value)).toBe(true);
    expect(Number.isFinite(sample.timeMs)).toBe(true);
  }
  for (const error of sink.errors) {
    expect(error).toBeInstanceOf(SensorError);
    expectCode(error.code, 'TOA5_');
  }
}

describe('TOA5 serial stream, fuzzed', () => {
  it('reads any byte stream, chunked any way, into finite samples and coded sensor errors', async () => {
    const stream = fc.oneof(
      tableText.map((lines) => Buffer.from(lines.join('\r\n'), 'latin1')),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
    );
    await fc.assert(
      fc.asyncProperty(stream, cuts, async (bytes, at) => {
        const sink = checkingSink();
        const reader = new Toa5TableReader({
          source: 'port logger',
          context: { port: 'logger' },
          sensors: COLUMN_SENSORS,
          offsetMinutes: 480,
          sink,
          logger,
          skipTaken: false,
        });
        // The serial driver's own line splitter, fed as the port would feed it.
        const lines = new ReadlineParser({ delimiter: '\n', encoding: 'latin1' });
        lines.on('data', (line: string) => reader.pushLine(line));
        const ended = new Promise((resolve) => lines.on('end', resolve));
        for (const chunk of chunked(bytes, at)) lines.write(chunk);
        lines.end();
        lines.resume();
        await ended;
        expectDelivered(sink);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('TOA5 file, fuzzed', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fs-fuzz-toa5-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const stateText = fc.oneof(
    fc.constant(undefined),
    mutated(
      fc
        .record({ record: fc.integer({ min: -5, max: 1e6 }), timeMs: fc.integer() })
        .map((position) => JSON.stringify({ v: 1, path: '', ...position })),
    ),
    oddText(40),
  );

  const FILE_SENSORS = COLUMN_SENSORS.map(
    ({ id, column }) =>
      SensorConfigSchema.parse({
        id,
        quantity: 'temperature',
        unit: 'Cel',
        intervalMs: 60_000,
        driver: { type: 'toa5', file: 'logger', column },
      }) as Toa5SensorConfig,
  );

  it('follows any file with any saved state into finite samples and coded sensor errors', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(tableText, stateText, async (lines, state) => {
        run += 1;
        const path = join(dir, `table-${run}.dat`);
        const stateDir = join(dir, `state-${run}`);
        await writeFile(path, `${lines.join('\r\n')}\r\n`);
        if (state !== undefined) {
          await mkdir(stateDir);
          // The driver keeps `<file id>.json`; a valid-looking state names this run's file.
          await writeFile(
            join(stateDir, 'logger.json'),
            state.replace('"path":""', `"path":${JSON.stringify(path)}`),
          );
        }
        const sink = checkingSink();
        const file = FileSourceSchema.parse({
          id: 'logger',
          path,
          protocol: { type: 'toa5', utcOffset: '+08:00', pollIntervalMs: 600_000, backfill: true },
        });
        const driver = new Toa5FileDriver({ file, sensors: FILE_SENSORS, sink, logger, stateDir });
        await driver.start();
        await driver.stop();
        expectDelivered(sink);
      }),
      // Files written, followed and saved per run: fewer runs; the serial stream property covers parsing in bulk.
      { numRuns: 60 },
    );
  });
});
