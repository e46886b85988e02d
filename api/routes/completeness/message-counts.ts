import { GATEWAY_SEQUENCE, type QuerySeries, seriesTag } from '../../../influx/index.js';
import type { QueryPort } from '../../ports.js';
import {
  type CompletenessSelection,
  SEQUENCE_TOTALS,
  sequenceBaselineQuery,
  sequenceTotalsQuery,
} from '../../queries/completeness-query.js';
import { type MessageCounts, windowChanges } from './running-totals.js';
import type { WindowGrid } from './windows.js';

interface TotalsRow {
  time: unknown;
  totals: MessageCounts | undefined;
}

function totalsOf([messages, duplicates, late]: unknown[]): MessageCounts | undefined {
  if (typeof messages !== 'number' || typeof duplicates !== 'number' || typeof late !== 'number') return;
  return { messages, duplicates, late };
}

function totalsRows(series: QuerySeries): TotalsRow[] {
  const timeAt = series.columns.indexOf('time');
  const totalAt = SEQUENCE_TOTALS.map((total) => series.columns.indexOf(total));
  return series.values.map((row) => ({ time: row[timeAt], totals: totalsOf(totalAt.map((at) => row[at])) }));
}

function gatewayOf(series: QuerySeries): string {
  return seriesTag(GATEWAY_SEQUENCE, series, 'gateway') ?? '';
}

/**
 * What each gateway's messages did per window (see windowChanges), for the gateways with totals
 * in the range; a gateway without any has no entry.
 */
export async function fetchMessageCounts(
  queries: QueryPort,
  selection: CompletenessSelection,
  every: string | undefined,
  grid: WindowGrid,
): Promise<Map<string, (MessageCounts | null)[]>> {
  const [inRange, before] = await Promise.all([
    queries.query(sequenceTotalsQuery(selection, every)),
    queries.query(sequenceBaselineQuery(selection)),
  ]);
  const baselines = new Map(before.map((series) => [gatewayOf(series), totalsRows(series)[0]?.totals]));
  const counts = new Map<string, (MessageCounts | null)[]>();
  for (const series of inRange) {
    const lastInWindow: (MessageCounts | undefined)[] = grid.windows.map(() => undefined);
    for (const { time, totals } of totalsRows(series)) {
      const index = typeof time === 'number' ? grid.indexOf(time) : undefined;
      if (index !== undefined) lastInWindow[index] = totals;
    }
    counts.set(gatewayOf(series), windowChanges(baselines.get(gatewayOf(series)), lastInWindow));
  }
  return counts;
}
