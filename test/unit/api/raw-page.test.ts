import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SeriesTags } from '../../../api/queries/series-chunks.js';
import { readSeriesChunk } from '../../../api/queries/series-chunks.js';
import { pageSteps, RawPage, type SeriesReader, tagsKey } from '../../../api/routes/series/raw-page.js';
import type { RawCursor } from '../../../api/routes/series/series-cursor.js';
import { compareKeys, type SeriesEntry } from '../../../api/routes/series/series-list.js';
import type { QuerySeries } from '../../../influx/index.js';

const T0 = Date.UTC(2026, 10, 27, 8);
const tagsOf = (sensor: string): SeriesTags => ({
  station: 'jinfo',
  gateway: 'pi-1',
  sensor,
  quantity: 'co2',
  unit: '[ppm]',
});

/** An in-memory store that answers like InfluxDB's `time > after … LIMIT n`, in chunks of `chunkSize` rows. */
function memoryReader(data: Map<string, number[]>, chunkSize: number): SeriesReader {
  return (tags, afterMs, limit) =>
    (async function* () {
      const times = (data.get(tagsKey(tags)) ?? [])
        .filter((t) => afterMs === undefined || t > afterMs)
        .slice(0, limit);
      for (let i = 0; i < times.length; i += chunkSize) {
        const values = times.slice(i, i + chunkSize).map((t) => [t, t - T0, 1]);
        yield {
          name: 'reading',
          tags: { ...tags },
          columns: ['time', 'value', 'qc'],
          values,
        } satisfies QuerySeries;
      }
    })();
}

function entries(data: Map<string, number[]>, sensors: readonly string[]): SeriesEntry[] {
  return sensors
    .map((sensor) => ({ key: tagsKey(tagsOf(sensor)), tags: tagsOf(sensor) }))
    .filter((entry) => data.has(entry.key))
    .sort((a, b) => compareKeys(a.key, b.key));
}

interface Served {
  sensor: string;
  time: number;
}

async function page(read: SeriesReader, series: SeriesEntry[], cursor: RawCursor | undefined, limit: number) {
  const raw = new RawPage(read, pageSteps(series, cursor), limit);
  const served: Served[] = [];
  for await (const chunk of raw.chunks()) {
    const { tags, points } = readSeriesChunk(chunk);
    for (const point of points) served.push({ sensor: tags.sensor, time: point.time });
  }
  return { served, next: raw.next };
}

async function allPages(
  data: Map<string, number[]>,
  sensors: readonly string[],
  limit: number,
  chunkSize = 3,
) {
  const read = memoryReader(data, chunkSize);
  const series = entries(data, sensors);
  const served: Served[] = [];
  const sizes: number[] = [];
  let cursor: RawCursor | undefined;
  for (let pages = 0; pages < 10_000; pages++) {
    const result = await page(read, series, cursor, limit);
    served.push(...result.served);
    sizes.push(result.served.length);
    cursor = result.next;
    if (cursor === undefined) return { served, sizes };
  }
  throw new Error('paging did not end');
}

describe('raw pages', () => {
  it('crosses a page boundary inside a timestamp several sensors share without losing or repeating a point', async () => {
    // Three sensors sampled at the same instants: every timestamp is shared by three points.
    const times = [0, 1, 2, 3].map((i) => T0 + i * 60_000);
    const data = new Map(['a', 'b', 'c'].map((s) => [tagsKey(tagsOf(s)), times]));
    const { served, sizes } = await allPages(data, ['c', 'a', 'b'], 5);
    expect(sizes).toEqual([5, 5, 2]);
    expect(served.map((p) => `${p.sensor}@${(p.time - T0) / 60_000}`)).toEqual([
      'a@0',
      'a@1',
      'a@2',
      'a@3',
      'b@0',
      'b@1',
      'b@2',
      'b@3',
      'c@0',
      'c@1',
      'c@2',
      'c@3',
    ]);
  });

  it('has no next page when the last point fills the page exactly', async () => {
    const data = new Map([[tagsKey(tagsOf('a')), [T0, T0 + 1, T0 + 2]]]);
    const result = await page(memoryReader(data, 10), entries(data, ['a']), undefined, 3);
    expect(result.served).toHaveLength(3);
    expect(result.next).toBeUndefined();
  });

  it('points to the next series when a page ends with the last point of one series', async () => {
    const data = new Map([
      [tagsKey(tagsOf('a')), [T0, T0 + 1]],
      [tagsKey(tagsOf('b')), [T0]],
    ]);
    const first = await page(memoryReader(data, 10), entries(data, ['a', 'b']), undefined, 2);
    expect(first.next).toEqual({ tags: tagsOf('a'), timeMs: T0 + 1 });
    const second = await page(memoryReader(data, 10), entries(data, ['a', 'b']), first.next, 2);
    expect(second.served).toEqual([{ sensor: 'b', time: T0 }]);
    expect(second.next).toBeUndefined();
  });

  it('serves every point exactly once, in (series, time) order, whatever the limit and chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 25 }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 5 }),
        async (perSeries, limit, chunkSize) => {
          const sensors = perSeries.map((_, i) => `s-${i}`);
          const data = new Map(
            perSeries
              .map(
                (offsets, i) =>
                  [tagsKey(tagsOf(`s-${i}`)), offsets.map((o) => T0 + o).sort((x, y) => x - y)] as const,
              )
              .filter(([, times]) => times.length > 0),
          );
          const { served, sizes } = await allPages(data, sensors, limit, chunkSize);
          const expected = [...data.entries()]
            .sort(([a], [b]) => compareKeys(a, b))
            .flatMap(([key, times]) => times.map((time) => ({ sensor: key.split('\u0000')[2], time })));
          expect(served).toEqual(expected);
          expect(sizes.slice(0, -1).every((size) => size === limit)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('resumes after a cursor whose series has vanished at the next series in key order', () => {
    const series = entries(new Map([[tagsKey(tagsOf('c')), [T0]]]), ['c']);
    const steps = pageSteps(series, { tags: tagsOf('b'), timeMs: T0 });
    expect(steps).toEqual([{ entry: series[0], afterMs: undefined }]);
  });
});
