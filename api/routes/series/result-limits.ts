import { ApiError } from '../../errors.js';
import { windowMs } from '../../params/time-expression.js';
import type { QueryPort } from '../../ports.js';
import { type Aggregation, type SeriesSelection, seriesPresenceQuery } from '../../queries/series-query.js';
import { isoTime } from '../../views/iso-time.js';
import { WINDOW_LIMIT, windowsIn } from './series-params.js';

/**
 * Refuses, before anything is streamed, an aggregation whose windows over all its series pass
 * WINDOW_LIMIT: every series gets every window of the range (empty ones as null), so a quantity
 * measured by twenty sensors returns twenty times the windows of one.
 */
export async function assertWindowsWithinLimit(
  queries: QueryPort,
  selection: SeriesSelection,
  aggregation: Aggregation,
): Promise<void> {
  const perSeries = windowsIn(selection, windowMs(aggregation.every) ?? 1);
  // Even one sensor may be several series (one per quantity it measures, and per unit).
  const series = (await queries.query(seriesPresenceQuery(selection))).length;
  const total = perSeries * series;
  if (total > WINDOW_LIMIT) {
    throw new ApiError(
      'RESULT_TOO_LARGE',
      `every=${aggregation.every} from ${isoTime(selection.fromMs)} to ${isoTime(selection.toMs)} gives ` +
        `${perSeries} windows per series × ${series} series = ${total} windows; the limit is ${WINDOW_LIMIT} ` +
        'per request: use a longer "every", a shorter range ("from", "to") or fewer series ("sensor", "gateway")',
      400,
      { parameter: 'every' },
    );
  }
}

/** Series one wide table may hold: each is a query streamed at the same time as the others. */
export const WIDE_SERIES_LIMIT = 50;

/** Refuses a wide table of more series than WIDE_SERIES_LIMIT, before any of their queries starts. */
export function assertWideWithinLimit(series: number): void {
  if (series <= WIDE_SERIES_LIMIT) return;
  throw new ApiError(
    'RESULT_TOO_LARGE',
    `layout=wide would have ${series} series (two columns each); the limit is ${WIDE_SERIES_LIMIT}: ` +
      'name fewer sensors ("sensor", repeated) or narrow with "gateway"',
    400,
    { parameter: 'layout' },
  );
}
