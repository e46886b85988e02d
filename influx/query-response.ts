import { z } from 'zod';
import { InfluxError } from './errors.js';
import { type ScannedResponse, scanResponse } from './response-scanner.js';
import type { RowTexts } from './row-texts.js';

const SeriesSchema = z.object({
  name: z.string(),
  tags: z.record(z.string(), z.string()).optional(),
  columns: z.array(z.string()),
  // An empty result (e.g. SHOW DATABASES on a new server) comes without `values`. Rows are checked
  // in place rather than parsed cell by cell: a chunk holds ten thousand of them, and z.array would
  // copy every one (the cells are read by whoever knows the columns).
  values: z
    .custom<unknown[][]>((rows) => Array.isArray(rows) && rows.every(Array.isArray), 'rows must be arrays')
    .default([]),
});

const ResultSchema = z.object({
  statement_id: z.number().optional(),
  series: z.array(SeriesSchema).optional(),
  error: z.string().optional(),
});

const ResponseSchema = z.object({
  results: z.array(ResultSchema).optional(),
  error: z.string().optional(),
});

export type QuerySeries = z.infer<typeof SeriesSchema>;

type QueryResult = z.infer<typeof ResultSchema>;

function resultsOf(body: unknown, query: string): QueryResult[] {
  const parsed = ResponseSchema.safeParse(body);
  if (!parsed.success) throw new InfluxError('INFLUX_QUERY_FAILED', `unexpected response to ${query}`, false);
  const { results = [], error } = parsed.data;
  const failure = error ?? results.find((result) => result.error)?.error;
  if (failure) throw new InfluxError('INFLUX_QUERY_FAILED', `${failure} (query: ${query})`, false);
  return results;
}

export function seriesOf(body: unknown, query: string): QuerySeries[] {
  return resultsOf(body, query).flatMap((result) => result.series ?? []);
}

/** A series without its rows. */
type SeriesHead = Omit<QuerySeries, 'values'>;

interface ScannedSeries {
  head: SeriesHead;
  rows: RowTexts;
}

/**
 * The row texts of the series seriesOfLine scanned, kept beside the series rather than on it: a
 * copy made with other values (`{ ...series, values }`) is not in the map, so its rows cannot
 * disagree with its values.
 */
const scannedSeries = new WeakMap<QuerySeries, ScannedSeries>();

/** The rows of a streamed series as InfluxDB wrote them, when the scanner read them. */
export function rowTextsOf(series: QuerySeries): RowTexts | undefined {
  return scannedSeries.get(series)?.rows;
}

/** How many rows a series holds, without parsing scanned ones. */
export function rowCount(series: QuerySeries): number {
  return scannedSeries.get(series)?.rows.rows ?? series.values.length;
}

/** A series whose `values` are parsed only if someone reads them (an encoder of row texts does not). */
function lazySeries(head: SeriesHead, rows: RowTexts, read: () => unknown[][]): QuerySeries {
  let values: unknown[][] | undefined;
  const series = Object.defineProperty({ ...head }, 'values', {
    enumerable: true,
    get: () => {
      values ??= read();
      return values;
    },
  }) as QuerySeries;
  scannedSeries.set(series, { head, rows });
  return series;
}

/** The series with its first `count` rows (a page that ends inside a chunk). */
export function firstRows(series: QuerySeries, count: number): QuerySeries {
  const scanned = scannedSeries.get(series);
  if (scanned === undefined) return { ...series, values: series.values.slice(0, count) };
  if (count >= scanned.rows.rows) return series;
  return lazySeries(scanned.head, scanned.rows.firstRows(count), () => series.values.slice(0, count));
}

function headOf({ values: _rows, ...head }: QuerySeries): SeriesHead {
  return head;
}

/** The envelope's series with the scanned rows in place of the `[]` they left; undefined if they do not fit. */
function withScannedRows(
  line: string,
  results: readonly QueryResult[],
  scanned: ScannedResponse,
): QuerySeries[] | undefined {
  const byPlace = new Map(scanned.values.map((values) => [`${values.result}/${values.series}`, values]));
  const series: QuerySeries[] = [];
  for (const [r, result] of results.entries()) {
    for (const [s, one] of (result.series ?? []).entries()) {
      const values = byPlace.get(`${r}/${s}`);
      if (values === undefined) {
        series.push(one);
        continue;
      }
      if (one.values.length > 0) return undefined;
      byPlace.delete(`${r}/${s}`);
      series.push(
        lazySeries(headOf(one), values.rows, () => JSON.parse(line.slice(values.start, values.end))),
      );
    }
  }
  return byPlace.size === 0 ? series : undefined;
}

function parsedOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The series of one line of a chunked response, as seriesOf(JSON.parse(line)) gives them, but with
 * the rows scanned as text (see rowTextsOf) and parsed only when read. Whatever the scanner does not
 * take (strings in rows, malformed lines, odd shapes) goes to JSON.parse whole, so errors and
 * unusual answers read exactly as before.
 */
export function seriesOfLine(line: string, query: string): QuerySeries[] {
  const scanned = scanResponse(line);
  const envelope = scanned === undefined ? undefined : parsedOrUndefined(scanned.envelope);
  if (scanned === undefined || envelope === undefined) return seriesOf(JSON.parse(line), query);
  return withScannedRows(line, resultsOf(envelope, query), scanned) ?? seriesOf(JSON.parse(line), query);
}
