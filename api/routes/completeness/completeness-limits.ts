import { ApiError } from '../../errors.js';
import { RAW_POINT_LIMIT } from '../series/series-params.js';
import { ROW_LIMIT } from './completeness-params.js';
import type { SensorRow } from './sensor-rows.js';

/** Refuses, before the counts are queried, a report of more than ROW_LIMIT rows (windows × sensor rows). */
export function assertRowsWithinLimit(windows: number, rows: number): void {
  const total = windows * Math.max(rows, 1);
  if (total <= ROW_LIMIT) return;
  throw new ApiError(
    'RESULT_TOO_LARGE',
    `${windows} windows × ${rows} sensor rows = ${total} rows; the limit is ${ROW_LIMIT} per request: ` +
      'use a longer "every", a shorter range ("from", "to") or fewer sensors ("gateway", "sensor")',
    400,
    { parameter: 'every' },
  );
}

/**
 * Refuses, before the scan, finding gaps in more readings than /v1/series streams raw: the scan reads
 * every reading of the selection. Nothing to scan (no announced interval) is never refused.
 */
export function assertScanWithinLimit(
  rows: readonly SensorRow[],
  received: ReadonlyMap<string, number[]>,
): void {
  if (rows.every((row) => row.intervalMs === undefined)) return;
  let readings = 0;
  for (const perWindow of received.values()) for (const count of perWindow) readings += count;
  if (readings <= RAW_POINT_LIMIT) return;
  throw new ApiError(
    'RESULT_TOO_LARGE',
    `finding gaps means reading the ${readings} readings of the range; the limit is ${RAW_POINT_LIMIT}: ` +
      'use a shorter range ("from", "to") or fewer sensors ("gateway", "sensor")',
    400,
    { parameter: 'from' },
  );
}
