import type { QueryPort } from '../../ports.js';
import { type CompletenessSelection, readingTimesQuery } from '../../queries/completeness-query.js';
import { type SensorRow, sensorAddressOf, sensorRowKey } from './sensor-rows.js';
import { WindowGaps } from './window-gaps.js';
import type { WindowGrid } from './windows.js';

/** Rows per chunk of the streamed scan: what sits in memory at once, whatever the range. */
const CHUNK_SIZE = 10_000;

/**
 * The gaps of every sensor row with an announced interval (by sensorRowKey), from its reading times
 * streamed chunk by chunk. Rows without an interval have no entry: their gaps cannot be told.
 */
export async function scanGaps(
  queries: QueryPort,
  selection: CompletenessSelection,
  rows: readonly SensorRow[],
  grid: WindowGrid,
): Promise<Map<string, WindowGaps>> {
  const trackers = new Map<string, WindowGaps>();
  for (const row of rows) {
    if (row.intervalMs !== undefined)
      trackers.set(sensorRowKey(row), new WindowGaps(grid.windows, row.intervalMs));
  }
  if (trackers.size > 0) {
    for await (const chunk of queries.stream(readingTimesQuery(selection), CHUNK_SIZE)) {
      const tracker = trackers.get(sensorRowKey(sensorAddressOf(chunk)));
      if (tracker === undefined) continue;
      const timeAt = chunk.columns.indexOf('time');
      for (const row of chunk.values) {
        const time = row[timeAt];
        if (typeof time === 'number') tracker.add(time);
      }
    }
  }
  for (const tracker of trackers.values()) tracker.finish();
  return trackers;
}
