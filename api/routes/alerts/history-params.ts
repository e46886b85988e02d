import { z } from 'zod';
import { RuleIdSchema, StationIdSchema } from '../../../protocol/index.js';
import { formatCursor, type PageCursor, parseCursor } from '../../params/page-cursor.js';
import { parseTimeExpression, TimeExpressionSchema } from '../../params/time-expression.js';
import type { HistorySelection } from '../../queries/alert-history-query.js';
import { isoTime } from '../../views/iso-time.js';

/** Entries one page may hold; more are reached through `next`. */
export const HISTORY_LIMIT_MAX = 200;

/**
 * Most rows of one millisecond a cursor may say were shown. Each statement reads `limit + skip + 1`
 * rows, so the cursor's 9-digit skip would otherwise let one request read the whole history into
 * memory; no real millisecond holds this many entries.
 */
export const HISTORY_SKIP_MAX = 10_000;

const HistoryQueryFields = z.strictObject({
  station: StationIdSchema.optional(),
  rule: RuleIdSchema.optional(),
  start: TimeExpressionSchema.optional().describe('oldest time included (RFC 3339, -7d, now)'),
  end: TimeExpressionSchema.optional().describe('newest time, excluded (RFC 3339, -1h, now)'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(HISTORY_LIMIT_MAX, `must be at most ${HISTORY_LIMIT_MAX}; follow "next" for more`)
    .default(100),
  cursor: z
    .string()
    .refine((text) => parseCursor(text) !== undefined, 'must be a cursor as given in "next"')
    .refine(
      (text) => (parseCursor(text)?.skip ?? 0) <= HISTORY_SKIP_MAX,
      `must be a cursor as given in "next" (skips at most ${HISTORY_SKIP_MAX} rows)`,
    )
    .optional()
    .describe('where the page starts, as given in the previous response\'s "next"; omit for the newest'),
});

function toSelection(query: z.output<typeof HistoryQueryFields>, ctx: z.RefinementCtx): HistorySelection {
  const now = Date.now();
  const startMs = query.start === undefined ? undefined : parseTimeExpression(query.start, now);
  const endMs = query.end === undefined ? undefined : parseTimeExpression(query.end, now);
  if (startMs !== undefined && endMs !== undefined && startMs >= endMs) {
    ctx.addIssue({ code: 'custom', path: ['start'], message: `must be before "end" (${query.end})` });
    return z.NEVER;
  }
  return {
    limit: query.limit,
    station: query.station,
    rule: query.rule,
    startMs,
    endMs,
    cursor: query.cursor === undefined ? undefined : parseCursor(query.cursor),
  };
}

export const HistoryQuerySchema = HistoryQueryFields.transform(toSelection);

/** The next page's URL: the same filters, a relative `start`/`end` resolved so it does not move. */
export function nextHistoryUrl(selection: HistorySelection, next: PageCursor): string {
  const params = new URLSearchParams({ limit: String(selection.limit) });
  if (selection.station !== undefined) params.set('station', selection.station);
  if (selection.rule !== undefined) params.set('rule', selection.rule);
  if (selection.startMs !== undefined) params.set('start', isoTime(selection.startMs));
  if (selection.endMs !== undefined) params.set('end', isoTime(selection.endMs));
  params.set('cursor', formatCursor(next));
  return `/v1/alerts/history?${params}`;
}
