/** Where a TOA5 source is: the last row taken from it. */
export interface TablePosition {
  record: number;
  timeMs: number;
}

export type RecordCheck =
  | { kind: 'in-sequence' }
  /** RECORD jumped: `missing` rows were never seen (lost on the line, or skipped by the logger). */
  | { kind: 'gap'; missing: number }
  /** RECORD went back: the logger was reset, or its program or table was changed. */
  | { kind: 'reset'; from: number; to: number };

/** How `record` follows the previous one. Pure. */
export function checkRecord(previous: number, record: number): RecordCheck {
  if (record === previous + 1) return { kind: 'in-sequence' };
  if (record > previous + 1) return { kind: 'gap', missing: record - previous - 1 };
  return { kind: 'reset', from: previous, to: record };
}

/**
 * Whether a row comes after `last`: later in time, or at the same time with a higher RECORD. A row
 * that does not was taken already (a file read again after a restart or rewritten by LoggerNet).
 */
export function isAfter(row: TablePosition, last: TablePosition): boolean {
  return row.timeMs > last.timeMs || (row.timeMs === last.timeMs && row.record > last.record);
}
