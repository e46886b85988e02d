import { z } from 'zod';
import { parseTimeExpression, TimeExpressionSchema } from '../../params/time-expression.js';
import type { QuarantineSelection } from '../../queries/quarantine-query.js';

export const QUARANTINE_LIMIT_MAX = 1000;

const QuarantineQueryFields = z.object({
  limit: z.coerce.number().int().min(1).max(QUARANTINE_LIMIT_MAX).default(100),
  from: TimeExpressionSchema.optional(),
  to: TimeExpressionSchema.optional(),
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
  return { limit: query.limit, fromMs, toMs };
}

export const QuarantineQuerySchema = QuarantineQueryFields.transform(toSelection);
