import { z } from 'zod';
import { formatCursor, type PageCursor, parseCursor } from '../../params/page-cursor.js';
import { parseTimeExpression, TimeExpressionSchema } from '../../params/time-expression.js';
import type { QuarantineSelection } from '../../queries/quarantine-query.js';
import { isoTime } from '../../views/iso-time.js';

/** Records one page may hold; more are reached through `next`. */
export const QUARANTINE_LIMIT_MAX = 200;

const QuarantineQueryFields = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(QUARANTINE_LIMIT_MAX, `must be at most ${QUARANTINE_LIMIT_MAX}; follow "next" for more`)
    .default(100),
  from: TimeExpressionSchema.optional(),
  to: TimeExpressionSchema.optional(),
  cursor: z
    .string()
    .refine((text) => parseCursor(text) !== undefined, 'must be a cursor as given in "next"')
    .optional()
    .describe('where the page starts, as given in the previous response\'s "next"; omit for the newest'),
});

function toSelection(
  query: z.output<typeof QuarantineQueryFields>,
  ctx: z.RefinementCtx,
): QuarantineSelection {
  const now = Date.now();
  const fromMs = query.from === undefined ? undefined : parseTimeExpression(query.from, now);
  const toMs = query.to === undefined ? undefined : parseTimeExpression(query.to, now);
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) {
    ctx.addIssue({ code: 'custom', path: ['from'], message: `must be before "to" (${query.to})` });
    return z.NEVER;
  }
  const cursor = query.cursor === undefined ? undefined : parseCursor(query.cursor);
  return { limit: query.limit, fromMs, toMs, cursor };
}

export const QuarantineQuerySchema = QuarantineQueryFields.transform(toSelection);

/**
 * The query string of the page after this one: the same range, resolved to absolute times so that
 * a relative `from` (-1h) does not move between pages.
 */
export function nextPageUrl(selection: QuarantineSelection, next: PageCursor): string {
  const params = new URLSearchParams({ limit: String(selection.limit) });
  if (selection.fromMs !== undefined) params.set('from', isoTime(selection.fromMs));
  if (selection.toMs !== undefined) params.set('to', isoTime(selection.toMs));
  params.set('cursor', formatCursor(next));
  return `/v1/quarantine?${params}`;
}
