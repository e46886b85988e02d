import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeSeriesCsv } from '../../../api/routes/series/series-csv.js';
import { encodeSeriesJson } from '../../../api/routes/series/series-json.js';
import { streamFailure } from '../../../api/routes/series/stream-failure.js';
import type { BodyPart } from '../../../api/views/byte-text.js';
import type { QuerySeries } from '../../../influx/index.js';
import { referenceSeriesCsv, referenceSeriesJson } from './series-reference-encoders.js';

async function text(source: AsyncIterable<BodyPart>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of source) parts.push(typeof part === 'string' ? Buffer.from(part) : part);
  return Buffer.concat(parts).toString('utf8');
}

async function* from(chunks: readonly QuerySeries[]): AsyncGenerator<QuerySeries> {
  yield* chunks;
}

const LIMIT = 8.64e15;
const MIN = 60_000;

/** Tag values as stored data may hold them: CSV specials, formula starts, quotes, non-ASCII, emoji. */
const tagValue = fc.oneof(
  fc.constantFrom(
    'jinfo',
    'pi-1',
    'co2',
    '[ppm]',
    'Cel',
    '=SUM(A1)',
    '+1',
    '-x',
    '@a',
    'a,b',
    'say "hi"',
    'l\r\nm',
  ),
  fc.constantFrom('µmol/m²', '°C', '雪峰', 'emoji 🌧', '\ttab', ''),
  fc.string({ maxLength: 8 }),
);
const tags = fc.record({
  station: tagValue,
  gateway: tagValue,
  sensor: tagValue,
  quantity: tagValue,
  unit: tagValue,
});

/** Numbers as InfluxDB returns them, and the odd ones JSON can still carry. */
const cellNumber = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map((n) => n / 10),
  fc.constantFrom(0, -0, 1e21, 1e-7, 123456789012345680000, 5e-324, -1.5e300, 812.4),
  fc.integer(),
);
const cell = fc.oneof(cellNumber, fc.constant(null));
const time = fc.oneof(
  fc.integer({ min: -LIMIT, max: LIMIT }),
  fc.integer({ min: 1_735_689_600_000, max: 1_767_225_600_000 }),
  fc.constantFrom(-62_167_219_200_001, -62_167_219_200_000, 253_402_300_799_999, 253_402_300_800_000),
);
/** Rows sorted by time (as a series comes), with the odd row whose time is not a number. */
const rows = fc
  .array(fc.tuple(time, cell, fc.oneof(fc.integer({ min: 1, max: 9 }), fc.constant(null))), { maxLength: 40 })
  .map((list) => list.sort((a, b) => a[0] - b[0]) as unknown[][])
  .chain((list) =>
    fc.boolean().map((odd) => (odd && list.length > 0 ? [...list, ['not a time', 1, 1]] : list)),
  );
const columns = fc.constantFrom<string[]>(['time', 'value', 'qc'], ['time', 'qc', 'value']);

/** Chunks of one to three series, a series possibly split over several chunks in a row. */
const chunks = fc
  .array(fc.tuple(tags, columns, fc.array(rows, { minLength: 1, maxLength: 3 })), { maxLength: 3 })
  .map((series) =>
    series.flatMap(([seriesTags, seriesColumns, parts]) =>
      parts.map(
        (values): QuerySeries => ({ name: 'reading', tags: seriesTags, columns: seriesColumns, values }),
      ),
    ),
  );

const intervals = fc.constantFrom<number | undefined>(undefined, MIN, 5 * MIN, 1);
const RAW_HEADER = { station: 'jinfo', from: '2025-01-01T00:00:00.000Z', to: 'b', every: null, fn: null };
const WINDOW_HEADER = { ...RAW_HEADER, every: '1h', fn: 'mean' as const };

describe('hand-written series encoders against the generic ones they replace', () => {
  it('write the same JSON, raw (with gaps and a next link) and aggregated', async () => {
    await fc.assert(
      fc.asyncProperty(chunks, intervals, fc.boolean(), async (input, interval, raw) => {
        const intervalOf = () => interval;
        const header = raw ? RAW_HEADER : WINDOW_HEADER;
        const closing = raw ? { next: 'http://x/v1/series?cursor="é"' } : {};
        const fast = await text(
          encodeSeriesJson(from(input), header, intervalOf, streamFailure, () => closing),
        );
        expect(fast).toBe(referenceSeriesJson(input, header, intervalOf, closing));
      }),
      { numRuns: 400 },
    );
  });

  it('write the same CSV', async () => {
    await fc.assert(
      fc.asyncProperty(chunks, async (input) => {
        expect(await text(encodeSeriesCsv(from(input), streamFailure))).toBe(referenceSeriesCsv(input));
      }),
      { numRuns: 400 },
    );
  });

  it('write the same for a year of 5-minute readings in chunks of 10,000, with gaps and QC flags', async () => {
    const tagsOfYear = {
      station: 'jinfo',
      gateway: 'cave-gw-1',
      sensor: 'cave-co2-1',
      quantity: 'co2',
      unit: '[ppm]',
    };
    const values: unknown[][] = [];
    for (let slot = 0; slot < 105_120; slot++) {
      if (slot % 5000 < 20) continue;
      values.push([
        Date.UTC(2025, 0, 1) + slot * 5 * MIN,
        Math.round(8000 + 1500 * Math.sin(slot / 40)) / 10,
        1 + (slot % 4),
      ]);
    }
    const year: QuerySeries[] = [];
    for (let start = 0; start < values.length; start += 10_000) {
      year.push({
        name: 'reading',
        tags: tagsOfYear,
        columns: ['time', 'value', 'qc'],
        values: values.slice(start, start + 10_000),
      });
    }
    const intervalOf = () => 5 * MIN;
    const json = await text(
      encodeSeriesJson(from(year), RAW_HEADER, intervalOf, streamFailure, () => ({ next: null })),
    );
    expect(json).toBe(referenceSeriesJson(year, RAW_HEADER, intervalOf, { next: null }));
    expect(await text(encodeSeriesCsv(from(year), streamFailure))).toBe(referenceSeriesCsv(year));
  });
});
