import type { QuerySeries, ReadingTag } from '../../influx/index.js';
import { READING, READING_TAGS, rowTextsOf } from '../../influx/index.js';

/** Rows per chunk the series routes ask InfluxDB for when they stream a result. */
export const SERIES_CHUNK_SIZE = 10_000;

export type SeriesTags = Readonly<Record<ReadingTag, string>>;

export interface SeriesPoint {
  time: number;
  /** null for a window without data (aggregated queries fill gaps with null). */
  value: number | null;
  qc: number | null;
}

export interface SeriesChunk {
  tags: SeriesTags;
  /** Identifies the series across the chunks of a streamed result. */
  key: string;
  points: SeriesPoint[];
}

function numberOrNull(cell: unknown): number | null {
  return typeof cell === 'number' ? cell : null;
}

/** Where a chunk's rows hold the time, value and qc (-1 for a column it lacks). */
export function pointColumns(series: QuerySeries): { timeAt: number; valueAt: number; qcAt: number } {
  const { columns } = series;
  return {
    timeAt: columns.indexOf('time'),
    valueAt: columns.indexOf(READING.fields.value),
    qcAt: columns.indexOf(READING.fields.qc),
  };
}

/** A chunk's series, without its points. */
export type SeriesHead = Omit<SeriesChunk, 'points'>;

export function readSeriesHead(series: QuerySeries): SeriesHead {
  const tags = Object.fromEntries(
    READING_TAGS.map((tag) => [tag, series.tags?.[READING.tags[tag]] ?? '']),
  ) as SeriesTags;
  return { tags, key: READING_TAGS.map((tag) => tags[tag]).join('\u0000') };
}

/**
 * Visits the points of a chunk in order, as readSeriesChunk reads them (a row without a numeric time
 * is no point) but without an object per point: the encoders of a raw year go through a hundred
 * thousand of them.
 */
export function forEachPoint(
  series: QuerySeries,
  visit: (time: number, value: number | null, qc: number | null) => void,
): void {
  const { timeAt, valueAt, qcAt } = pointColumns(series);
  const texts = rowTextsOf(series);
  if (texts !== undefined) {
    for (let row = 0; row < texts.rows; row++) {
      const time = texts.numberAt(row, timeAt);
      if (time !== null) visit(time, texts.numberAt(row, valueAt), texts.numberAt(row, qcAt));
    }
    return;
  }
  for (const row of series.values) {
    const time = row[timeAt];
    if (typeof time === 'number') visit(time, numberOrNull(row[valueAt]), numberOrNull(row[qcAt]));
  }
}

/** Reads one chunk of a `SELECT value, qc ... GROUP BY <reading tags>` result. */
export function readSeriesChunk(series: QuerySeries): SeriesChunk {
  const points: SeriesPoint[] = [];
  forEachPoint(series, (time, value, qc) => points.push({ time, value, qc }));
  return { ...readSeriesHead(series), points };
}

/** The time of a chunk's last point, without reading the others (a page needs it for its cursor). */
export function lastTime(series: QuerySeries): number | undefined {
  const timeAt = series.columns.indexOf('time');
  const texts = rowTextsOf(series);
  if (texts !== undefined) {
    for (let row = texts.rows - 1; row >= 0; row--) {
      const time = texts.numberAt(row, timeAt);
      if (time !== null) return time;
    }
    return undefined;
  }
  for (let row = series.values.length - 1; row >= 0; row--) {
    const time = series.values[row]?.[timeAt];
    if (typeof time === 'number') return time;
  }
  return undefined;
}
