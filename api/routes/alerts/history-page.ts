import { ALERT_ACK, ALERT_DELIVERY, ALERT_EVENT, ALERT_SILENCE } from '../../../influx/index.js';
import { cursorAfter, type PageCursor } from '../../params/page-cursor.js';
import type { HistoryMeasurement } from '../../queries/alert-history-query.js';
import type { HistoryEntry, HistoryRow } from './history-rows.js';

/** Within one millisecond, newest first: what follows an event (its delivery, its ack) comes before it. */
const TIE_ORDER: Readonly<Record<HistoryMeasurement, number>> = {
  [ALERT_DELIVERY.name]: 0,
  [ALERT_SILENCE.name]: 1,
  [ALERT_ACK.name]: 2,
  [ALERT_EVENT.name]: 3,
};

/**
 * Newest first, and a total order within a millisecond (source, station, rule, then the entry
 * itself), so the rows a cursor skips are the very ones the previous page showed.
 */
export function compareRows(a: HistoryRow, b: HistoryRow): number {
  return (
    b.atMs - a.atMs ||
    TIE_ORDER[a.measurement] - TIE_ORDER[b.measurement] ||
    a.entry.station.localeCompare(b.entry.station) ||
    a.entry.rule.localeCompare(b.entry.rule) ||
    JSON.stringify(a.entry).localeCompare(JSON.stringify(b.entry))
  );
}

export interface HistoryPage {
  entries: HistoryEntry[];
  /** Where the next page starts; undefined on the last page. */
  next: PageCursor | undefined;
}

/**
 * Merges the measurements' rows (each at most limit + skip + 1 of its newest), drops the rows of the
 * cursor's millisecond the previous page showed, and takes `limit`. Pure.
 */
export function historyPage(
  rows: readonly HistoryRow[],
  limit: number,
  cursor: PageCursor | undefined,
): HistoryPage {
  const sorted = [...rows].sort(compareRows);
  let start = 0;
  if (cursor !== undefined) {
    while (start < cursor.skip && sorted[start]?.atMs === cursor.atMs) start++;
  }
  const page = sorted.slice(start, start + limit);
  const more = sorted.length > start + limit;
  return {
    entries: page.map((row) => row.entry),
    next: more
      ? cursorAfter(
          page.map((row) => row.atMs),
          cursor,
        )
      : undefined,
  };
}
