import { firstRows, type QuerySeries, rowCount } from '../../../influx/index.js';
import type { QueryPort } from '../../ports.js';
import { lastTime, SERIES_CHUNK_SIZE, type SeriesTags } from '../../queries/series-chunks.js';
import { rawSeriesPageQuery, type SeriesSelection } from '../../queries/series-query.js';
import type { RawCursor } from './series-cursor.js';
import { compareKeys, type SeriesEntry, seriesSelection } from './series-list.js';

/** The raw points of one series, oldest first, after `afterMs` (or from the range's start), at most `limit`. */
export type SeriesReader = (
  tags: SeriesTags,
  afterMs: number | undefined,
  limit: number,
) => AsyncIterable<QuerySeries>;

/** The reader over InfluxDB: one query per series, streamed in chunks. */
export function influxSeriesReader(queries: QueryPort, selection: SeriesSelection): SeriesReader {
  return (tags, afterMs, limit) =>
    queries.stream(rawSeriesPageQuery(seriesSelection(selection, tags), afterMs, limit), SERIES_CHUNK_SIZE);
}

/** A series a page reads, and where in it: after the cursor's point for the cursor's own series. */
export interface PageStep {
  entry: SeriesEntry;
  afterMs: number | undefined;
}

export function tagsKey(tags: SeriesTags): string {
  return [tags.station, tags.gateway, tags.sensor, tags.quantity, tags.unit].join('\u0000');
}

/**
 * The series a page walks, in key order: from the cursor's series (after its point) on, or all of
 * them on the first page. A cursor series that has since vanished still resumes at the next key.
 */
export function pageSteps(series: readonly SeriesEntry[], cursor: RawCursor | undefined): PageStep[] {
  if (cursor === undefined) return series.map((entry) => ({ entry, afterMs: undefined }));
  const key = tagsKey(cursor.tags);
  return series
    .filter((entry) => compareKeys(entry.key, key) >= 0)
    .map((entry) => ({ entry, afterMs: entry.key === key ? cursor.timeMs : undefined }));
}

/**
 * One page of raw points: at most `limit`, series after series, each query asking one more point
 * than still fits so the page knows whether anything follows. Streams chunk by chunk; `next` is
 * known once the chunks are exhausted (hence JSON's `next` member and CSV's `# next:` line at the end).
 */
export class RawPage {
  /** Where the following page starts; undefined while streaming and on the last page. */
  next: RawCursor | undefined;

  constructor(
    private readonly read: SeriesReader,
    private readonly steps: readonly PageStep[],
    private readonly limit: number,
  ) {}

  async *chunks(): AsyncGenerator<QuerySeries> {
    let remaining = this.limit;
    for (const [index, { entry, afterMs }] of this.steps.entries()) {
      let lastMs: number | undefined;
      let more = false;
      for await (const chunk of this.read(entry.tags, afterMs, remaining + 1)) {
        // Cut only when the page ends inside the chunk: a whole year fits one page, chunk by chunk.
        const rows = rowCount(chunk);
        const taken = rows > remaining ? firstRows(chunk, remaining) : chunk;
        more = rows > remaining;
        const count = Math.min(rows, remaining);
        if (count > 0) {
          remaining -= count;
          lastMs = lastTime(taken) ?? lastMs;
          yield taken;
        }
        if (more) break;
      }
      const followed = more || (remaining === 0 && index < this.steps.length - 1);
      if (followed && lastMs !== undefined) {
        this.next = { tags: entry.tags, timeMs: lastMs };
        return;
      }
      if (remaining === 0) return;
    }
  }
}
