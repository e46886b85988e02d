import type { QuarantineCursor } from '../../queries/quarantine-query.js';
import type { QuarantineRecord } from './quarantine-records.js';

/** Serialised records one page may hold; the page ends before the record that would pass it. */
export const PAGE_BUDGET_BYTES = 1024 * 1024;

export interface QuarantinePage {
  records: QuarantineRecord[];
  /** Where the next page starts; undefined when this one holds the last record. */
  next: QuarantineCursor | undefined;
}

/** Where the page after `records` starts, counting the records of its last millisecond already shown. */
function cursorAfter(
  records: readonly QuarantineRecord[],
  previous: QuarantineCursor | undefined,
): QuarantineCursor {
  const last = records.at(-1);
  if (last === undefined) throw new RangeError('a page ends after at least one record');
  const atMs = Date.parse(last.time);
  const shown = records.filter((record) => record.time === last.time).length;
  return { atMs, skip: previous?.atMs === atMs ? previous.skip + shown : shown };
}

/**
 * Takes records (newest first) until the page holds `limit` of them or `budgetBytes` of JSON, and
 * stops reading there, so the rest is never fetched. The first record always fits (records are cut
 * to a few KiB), so every page moves on.
 */
export async function collectPage(
  source: AsyncIterable<QuarantineRecord>,
  options: { limit: number; budgetBytes: number; cursor: QuarantineCursor | undefined },
): Promise<QuarantinePage> {
  const records: QuarantineRecord[] = [];
  let bytes = 0;
  for await (const record of source) {
    const size = Buffer.byteLength(JSON.stringify(record)) + 1;
    const full =
      records.length >= options.limit || (records.length > 0 && bytes + size > options.budgetBytes);
    if (full) return { records, next: cursorAfter(records, options.cursor) };
    records.push(record);
    bytes += size;
  }
  return { records, next: undefined };
}
