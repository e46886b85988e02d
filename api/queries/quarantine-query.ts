import { QUARANTINE_MEASUREMENT, quoteIdentifier, timeLiteral } from '../../influx/index.js';
import { whereClause } from './tag-conditions.js';

/** Tags (code, station) and fields (topic, gateway, reason, payload, bytes) of a quarantine record. */
export const QUARANTINE_COLUMNS = [
  'code',
  'station',
  'topic',
  'gateway',
  'reason',
  'payload',
  'bytes',
] as const;

export interface QuarantineSelection {
  limit: number;
  fromMs?: number | undefined;
  toMs?: number | undefined;
}

/** Newest records first. */
export function quarantineQuery(selection: QuarantineSelection): string {
  if (!Number.isSafeInteger(selection.limit) || selection.limit < 1) {
    throw new RangeError(`limit ${selection.limit} is not a positive integer`);
  }
  const conditions = [
    ...(selection.fromMs === undefined ? [] : [`time >= ${timeLiteral(selection.fromMs)}`]),
    ...(selection.toMs === undefined ? [] : [`time < ${timeLiteral(selection.toMs)}`]),
  ];
  return (
    `SELECT ${QUARANTINE_COLUMNS.map(quoteIdentifier).join(', ')} FROM ${quoteIdentifier(QUARANTINE_MEASUREMENT)}` +
    `${whereClause(conditions)} ORDER BY time DESC LIMIT ${selection.limit}`
  );
}
