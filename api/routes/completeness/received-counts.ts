import type { QueryPort } from '../../ports.js';
import { type CompletenessSelection, receivedCountQuery } from '../../queries/completeness-query.js';
import { sensorAddressOf, sensorRowKey } from './sensor-rows.js';
import type { WindowGrid } from './windows.js';

/** Readings stored per sensor row (by sensorRowKey) and window; a row without any has no entry. */
export async function fetchReceivedCounts(
  queries: QueryPort,
  selection: CompletenessSelection,
  every: string | undefined,
  grid: WindowGrid,
): Promise<Map<string, number[]>> {
  const counts = new Map<string, number[]>();
  for (const series of await queries.query(receivedCountQuery(selection, every))) {
    const key = sensorRowKey(sensorAddressOf(series));
    const perWindow = counts.get(key) ?? grid.windows.map(() => 0);
    counts.set(key, perWindow);
    const timeAt = series.columns.indexOf('time');
    const receivedAt = series.columns.indexOf('received');
    for (const row of series.values) {
      const [time, received] = [row[timeAt], row[receivedAt]];
      const index = typeof time === 'number' ? grid.indexOf(time) : undefined;
      if (index !== undefined && typeof received === 'number') perWindow[index] = received;
    }
  }
  return counts;
}
