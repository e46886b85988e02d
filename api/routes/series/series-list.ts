import type { QueryPort } from '../../ports.js';
import { readSeriesChunk, type SeriesTags } from '../../queries/series-chunks.js';
import { type SeriesSelection, seriesPresenceQuery } from '../../queries/series-query.js';

/** One series of a selection: its tags and the key that orders it among the others. */
export interface SeriesEntry {
  key: string;
  tags: SeriesTags;
}

/**
 * The series the selection holds in its range, ordered by key (station, gateway, sensor, quantity,
 * unit). Pages and wide columns follow this order, which is ours, not InfluxDB's series-key order.
 */
export async function listSeries(queries: QueryPort, selection: SeriesSelection): Promise<SeriesEntry[]> {
  const found = (await queries.query(seriesPresenceQuery(selection))).map((series) => {
    const { key, tags } = readSeriesChunk(series);
    return { key, tags };
  });
  return found.sort((a, b) => compareKeys(a.key, b.key));
}

export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The selection narrowed to exactly one series. */
export function seriesSelection(selection: SeriesSelection, tags: SeriesTags): SeriesSelection {
  const { station, gateway, sensor, quantity, unit } = tags;
  return { station, gateway, sensor, quantity, unit, fromMs: selection.fromMs, toMs: selection.toMs };
}
