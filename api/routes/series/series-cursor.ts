import { createHash } from 'node:crypto';
import { z } from 'zod';
import { READING_TAGS } from '../../../influx/index.js';
import type { SeriesTags } from '../../queries/series-chunks.js';
import type { SeriesSelection } from '../../queries/series-query.js';

/**
 * Where a raw page ended: the last point served, named by its series and its time. Within one
 * series a time is unique, and pages walk series in key order, so (key, time) is a total order and
 * the next page resumes exactly after it, whatever other sensors share that timestamp.
 */
export interface RawCursor {
  tags: SeriesTags;
  timeMs: number;
}

const PayloadSchema = z.object({
  v: z.literal(1),
  s: z.array(z.string().max(256)).length(READING_TAGS.length),
  t: z.number().int(),
});

const CHECK_LENGTH = 16;

/**
 * What a cursor is bound to: a cursor of one query must not be replayed on another (another
 * station, sensor or range), where "after this point" means nothing. The limit may change between pages.
 */
export function cursorScope(selection: SeriesSelection): string {
  const { station, gateway, sensor, sensors, quantity, fromMs, toMs } = selection;
  return JSON.stringify([
    station,
    gateway ?? null,
    sensor ?? null,
    sensors ?? null,
    quantity ?? null,
    fromMs,
    toMs,
  ]);
}

// A checksum, not a signature: it catches edited and made-up cursors and cursors of another query.
// A cursor grants nothing the query itself does not, so there is no secret to keep.
function check(scope: string, payload: string): string {
  return createHash('sha256').update(`${scope}\n${payload}`).digest('base64url').slice(0, CHECK_LENGTH);
}

export function encodeCursor(cursor: RawCursor, scope: string): string {
  const payload = Buffer.from(
    JSON.stringify({ v: 1, s: READING_TAGS.map((tag) => cursor.tags[tag]), t: cursor.timeMs }),
  ).toString('base64url');
  return `${payload}.${check(scope, payload)}`;
}

export type CursorResult = { ok: true; cursor: RawCursor } | { ok: false; message: string };

const FORGED = 'is not a cursor this API gave out: pass "next" from the previous page unchanged';

/** Reads a cursor back, refusing one that was edited, belongs to another query or lies outside the range. */
export function decodeCursor(text: string, selection: SeriesSelection): CursorResult {
  const [payload, given, ...rest] = text.split('.');
  if (payload === undefined || given === undefined || rest.length > 0) return { ok: false, message: FORGED };
  if (given !== check(cursorScope(selection), payload)) {
    return {
      ok: false,
      message: `${FORGED}, with the same station, sensor, quantity, gateway, from and to as the "next" URL`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, message: FORGED };
  }
  const parsed = PayloadSchema.safeParse(json);
  if (!parsed.success) return { ok: false, message: FORGED };
  const { s, t } = parsed.data;
  if (t < selection.fromMs || t >= selection.toMs)
    return { ok: false, message: 'points outside "from" and "to"' };
  const tags = Object.fromEntries(READING_TAGS.map((tag, i) => [tag, s[i] ?? ''])) as SeriesTags;
  return { ok: true, cursor: { tags, timeMs: t } };
}
