import {
  type ColumnKey,
  countLiteral,
  QUARANTINE,
  quoteIdentifier,
  selectList,
  timeLiteral,
} from '../../influx/index.js';
import { stationsCondition, whereClause } from './tag-conditions.js';

/** Tags (code, station) and fields (topic, gateway, reason, payload, bytes) of a quarantine record. */
export const QUARANTINE_COLUMNS = [
  'code',
  'station',
  'topic',
  'gateway',
  'reason',
  'payload',
  'bytes',
] as const satisfies readonly ColumnKey<typeof QUARANTINE>[];

/**
 * Where the previous page ended: records received in the millisecond `atMs` or earlier, less the
 * `skip` newest of that millisecond, which it returned already. (Records carry unique nanosecond
 * times, but queries read milliseconds, so several may share `atMs`.)
 */
export interface QuarantineCursor {
  atMs: number;
  skip: number;
}

export interface QuarantineSelection {
  limit: number;
  /** The stations the caller's key is limited to; absent or null: every station. */
  visibleStations?: readonly string[] | null | undefined;
  fromMs?: number | undefined;
  toMs?: number | undefined;
  cursor?: QuarantineCursor | undefined;
}

/** Newest records first: the page and one more, which tells whether another page follows. */
export function quarantineQuery(selection: QuarantineSelection): string {
  countLiteral('limit', selection.limit, 1);
  const { cursor } = selection;
  if (cursor) countLiteral('skip', cursor.skip, 0);
  const conditions = [
    ...stationsCondition(QUARANTINE.tags, selection.visibleStations),
    ...(selection.fromMs === undefined ? [] : [`time >= ${timeLiteral(selection.fromMs)}`]),
    ...(selection.toMs === undefined ? [] : [`time < ${timeLiteral(selection.toMs)}`]),
    ...(cursor === undefined ? [] : [`time < ${timeLiteral(cursor.atMs + 1)}`]),
  ];
  const offset = cursor === undefined || cursor.skip === 0 ? '' : ` OFFSET ${cursor.skip}`;
  return (
    `SELECT ${selectList(QUARANTINE, QUARANTINE_COLUMNS)} FROM ${quoteIdentifier(QUARANTINE.name)}` +
    `${whereClause(conditions)} ORDER BY time DESC LIMIT ${selection.limit + 1}${offset}`
  );
}
