import {
  ALERT_ACK,
  ALERT_DELIVERY,
  ALERT_EVENT,
  ALERT_SILENCE,
  ALERT_TAGS,
  type ColumnKey,
  countLiteral,
  type MeasurementRecord,
  quoteIdentifier,
  storedName,
  timeLiteral,
} from '../../influx/index.js';
import type { PageCursor } from '../params/page-cursor.js';
import { stationsCondition, tagConditions, whereClause } from './tag-conditions.js';

function storedColumns<M extends MeasurementRecord>(record: M, keys: readonly ColumnKey<M>[]): string[] {
  return keys.map((key) => storedName(record, key));
}

/** The columns read from each measurement of the alert history (tags station and rule in all). */
export const HISTORY_COLUMNS = {
  [ALERT_EVENT.name]: storedColumns(ALERT_EVENT, [
    'station',
    'rule',
    'state',
    'severity',
    'kind',
    'message',
    'gateway',
    'sensor',
    'value',
    'threshold',
    'since',
  ]),
  [ALERT_ACK.name]: storedColumns(ALERT_ACK, ['station', 'rule', 'since', 'by', 'comment']),
  [ALERT_SILENCE.name]: storedColumns(ALERT_SILENCE, ['station', 'rule', 'until', 'by', 'comment', 'lifted']),
  [ALERT_DELIVERY.name]: storedColumns(ALERT_DELIVERY, [
    'station',
    'rule',
    'channel',
    'outcome',
    'id',
    'subscriber',
    'reason',
    'error',
    'attempt',
    'since',
  ]),
} as const satisfies Record<string, readonly string[]>;

export type HistoryMeasurement = keyof typeof HISTORY_COLUMNS;
export const HISTORY_MEASUREMENTS = Object.keys(HISTORY_COLUMNS) as HistoryMeasurement[];

export interface HistorySelection {
  limit: number;
  /** Slugs, checked by the route's schema (and quoted here all the same). */
  station?: string | undefined;
  /** The stations the caller's key is limited to; absent or null: every station. */
  visibleStations?: readonly string[] | null | undefined;
  rule?: string | undefined;
  startMs?: number | undefined;
  endMs?: number | undefined;
  cursor?: PageCursor | undefined;
}

/**
 * One statement per measurement, newest first. Each returns as many rows as the page could take
 * from it (the page, the rows of the cursor's millisecond already shown, and one more that says
 * whether another page follows); the route merges them. No OFFSET: which rows of the cursor's
 * millisecond were shown is only known after the merge.
 */
export function alertHistoryQuery(selection: HistorySelection): string {
  countLiteral('limit', selection.limit, 1);
  const { cursor } = selection;
  if (cursor) countLiteral('skip', cursor.skip, 0);
  const conditions = [
    ...tagConditions(ALERT_TAGS, ['station'], selection),
    ...stationsCondition(ALERT_TAGS, selection.visibleStations),
    ...tagConditions(ALERT_TAGS, ['rule'], selection),
    ...(selection.startMs === undefined ? [] : [`time >= ${timeLiteral(selection.startMs)}`]),
    ...(selection.endMs === undefined ? [] : [`time < ${timeLiteral(selection.endMs)}`]),
    // Rows stored in ns within the cursor's millisecond are read as that millisecond.
    ...(cursor === undefined ? [] : [`time < ${timeLiteral(cursor.atMs + 1)}`]),
  ];
  const rows = selection.limit + (cursor?.skip ?? 0) + 1;
  return HISTORY_MEASUREMENTS.map(
    (measurement) =>
      `SELECT ${HISTORY_COLUMNS[measurement].map(quoteIdentifier).join(', ')} FROM ${quoteIdentifier(measurement)}` +
      `${whereClause(conditions)} ORDER BY time DESC LIMIT ${rows}`,
  ).join('; ');
}
