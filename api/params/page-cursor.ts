import { LATEST_SAMPLE_MS } from '../../protocol/index.js';
import { isoTime } from '../views/iso-time.js';

/**
 * Where the previous page of a newest-first list ended: rows in the millisecond `atMs` or earlier,
 * less the `skip` of that millisecond it returned already (several rows may share a millisecond).
 */
export interface PageCursor {
  atMs: number;
  skip: number;
}

const CURSOR_PATTERN = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)~(\d{1,9})$/;

/** `2026-11-27T08:00:00.123Z~2`: the millisecond the previous page ended in and how many of its rows it showed. */
export function formatCursor(cursor: PageCursor): string {
  return `${isoTime(cursor.atMs)}~${cursor.skip}`;
}

export function parseCursor(text: string): PageCursor | undefined {
  const match = CURSOR_PATTERN.exec(text);
  const atMs = match?.[1] === undefined ? Number.NaN : Date.parse(match[1]);
  // Within the era every other time parameter is held to: beyond it InfluxQL overflows (a 502).
  const inEra = Number.isFinite(atMs) && atMs >= 0 && atMs <= LATEST_SAMPLE_MS;
  return inEra ? { atMs, skip: Number(match?.[2]) } : undefined;
}

/** Where the page after `times` (newest first, epoch ms) starts, counting the rows of its last millisecond. */
export function cursorAfter(times: readonly number[], previous: PageCursor | undefined): PageCursor {
  const atMs = times.at(-1);
  if (atMs === undefined) throw new RangeError('a page ends after at least one row');
  const shown = times.filter((time) => time === atMs).length;
  return { atMs, skip: previous?.atMs === atMs ? previous.skip + shown : shown };
}
