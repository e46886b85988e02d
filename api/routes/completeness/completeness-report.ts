import type { LiveView } from '../../live/live-view.js';
import type { QueryPort } from '../../ports.js';
import { completenessDocument } from './completeness-document.js';
import { assertRowsWithinLimit, assertScanWithinLimit } from './completeness-limits.js';
import type { CompletenessRequest } from './completeness-params.js';
import type { CompletenessDocument } from './completeness-schema.js';
import { scanGaps } from './gap-scan.js';
import { fetchMessageCounts } from './message-counts.js';
import { fetchReceivedCounts } from './received-counts.js';
import { fetchSensorRows } from './sensor-rows.js';
import { windowGrid } from './windows.js';

/**
 * Builds the report, cheapest query first, so an oversized request is refused before the costly
 * ones: sensor rows (one point each), then counts per window, then the scan of every reading.
 */
export async function fetchCompleteness(
  queries: QueryPort,
  live: LiveView,
  request: CompletenessRequest,
): Promise<CompletenessDocument> {
  const { selection, every, everyMs } = request;
  const grid = windowGrid(selection, everyMs);
  const rows = await fetchSensorRows(queries, live, selection);
  assertRowsWithinLimit(grid.windows.length, rows.length);
  const [received, messages] = await Promise.all([
    fetchReceivedCounts(queries, selection, every, grid),
    fetchMessageCounts(queries, selection, every, grid),
  ]);
  assertScanWithinLimit(rows, received);
  const gaps = await scanGaps(queries, selection, rows, grid);
  return completenessDocument(request, { windows: grid.windows, rows, received, messages, gaps });
}
