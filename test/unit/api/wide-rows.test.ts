import { describe, expect, it } from 'vitest';
import type { SeriesPoint, SeriesTags } from '../../../api/queries/series-chunks.js';
import { assertWideWithinLimit, WIDE_SERIES_LIMIT } from '../../../api/routes/series/result-limits.js';
import { wideColumns } from '../../../api/routes/series/wide-columns.js';
import { wideCsvRecord, wideHeader } from '../../../api/routes/series/wide-csv.js';
import { mergeWideRows } from '../../../api/routes/series/wide-rows.js';

const T0 = Date.UTC(2026, 10, 27, 8);
const MIN = 60_000;
const point = (
  minute: number,
  value: number | null,
  qc: number | null = value === null ? null : 1,
): SeriesPoint => ({
  time: T0 + minute * MIN,
  value,
  qc,
});

async function* stream(...points: SeriesPoint[]): AsyncGenerator<SeriesPoint> {
  yield* points;
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

const tags = (sensor: string, gateway = 'pi-1', quantity = 'co2', unit = '[ppm]'): SeriesTags => ({
  station: 'jinfo',
  gateway,
  sensor,
  quantity,
  unit,
});

describe('wide rows', () => {
  it('puts points of the same window in one row and keeps gaps as empty cells', async () => {
    const rows = await collect(
      mergeWideRows([
        stream(point(0, 410), point(1, null), point(2, 412, 3)),
        stream(point(0, 11.5, 2), point(1, 11.6), point(2, null)),
      ]),
    );
    expect(rows.map((row) => wideCsvRecord(row))).toEqual([
      `${new Date(T0).toISOString()},410,1,11.5,2\r\n`,
      `${new Date(T0 + MIN).toISOString()},,,11.6,1\r\n`,
      `${new Date(T0 + 2 * MIN).toISOString()},412,3,,\r\n`,
    ]);
  });

  it('gives a row to every time any series has, null where another has no point at all', async () => {
    const rows = await collect(
      mergeWideRows([stream(point(0, 1), point(3, 4)), stream(point(1, 2)), stream()]),
    );
    expect(rows.map((row) => [(row.time - T0) / MIN, row.cells.map((cell) => cell?.value ?? null)])).toEqual([
      [0, [1, null, null]],
      [1, [null, 2, null]],
      [3, [4, null, null]],
    ]);
  });

  it('ends the other streams when one fails', async () => {
    let returned = false;
    const endless = (async function* () {
      try {
        for (let i = 0; ; i++) yield point(i, i);
      } finally {
        returned = true;
      }
    })();
    const failing = (async function* () {
      yield point(0, 1);
      throw new Error('influxd went away');
    })();
    await expect(collect(mergeWideRows([endless, failing]))).rejects.toThrow('influxd went away');
    expect(returned).toBe(true);
  });
});

describe('wide columns', () => {
  it('names a value column sensor, quantity and unit, and its qc column beside it', () => {
    const columns = wideColumns([tags('cave-co2-1'), tags('t-1', 'pi-1', 'temperature', 'Cel')]);
    expect(wideHeader(columns)).toEqual([
      'time',
      'cave-co2-1 co2 [ppm]',
      'cave-co2-1 co2 qc',
      't-1 temperature Cel',
      't-1 temperature qc',
    ]);
  });

  it('keeps names unique when a sensor id recurs on another gateway or a quantity in another unit', () => {
    const columns = wideColumns([
      tags('s-1', 'pi-1'),
      tags('s-1', 'pi-2'),
      tags('t', 'pi-1', 'temp', 'Cel'),
      tags('t', 'pi-1', 'temp', '[degF]'),
    ]);
    const names = wideHeader(columns);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('pi-2/s-1 co2 [ppm]');
    expect(names).toContain('t temp qc [degF]');
  });
});

describe('wide table limit', () => {
  it('refuses more series than it streams at once, naming the figures', () => {
    expect(() => assertWideWithinLimit(WIDE_SERIES_LIMIT)).not.toThrow();
    expect(() => assertWideWithinLimit(WIDE_SERIES_LIMIT + 1)).toThrow(
      expect.objectContaining({ code: 'RESULT_TOO_LARGE', message: expect.stringContaining('51 series') }),
    );
  });
});
