import { z } from 'zod';
import { GatewayIdSchema, SensorIdSchema, StationIdSchema } from '../../../protocol/index.js';
import { TimeExpressionSchema, windowMs } from '../../params/time-expression.js';
import { resolveTimeRange } from '../../params/time-range.js';
import type { CompletenessSelection } from '../../queries/completeness-query.js';
import { EverySchema, SeriesFormatSchema, windowsIn } from '../series/series-params.js';

/**
 * Rows one request may return: windows × sensor rows. The report is built whole and checked against
 * its schema before it is sent, so it must stay small.
 */
export const ROW_LIMIT = 50_000;

const CompletenessQueryFields = z.object({
  station: StationIdSchema,
  gateway: GatewayIdSchema.optional(),
  sensor: SensorIdSchema.optional().describe('every quantity the sensor measures'),
  from: TimeExpressionSchema.default('-24h'),
  to: TimeExpressionSchema.default('now').describe('a time after now counts as now'),
  every: EverySchema.optional().describe(
    'window, aligned to the epoch as in /v1/series (1d is a UTC day); absent means the whole range as one',
  ),
  format: SeriesFormatSchema.optional().describe('csv, or send Accept: text/csv; JSON otherwise'),
});

export interface CompletenessRequest {
  selection: CompletenessSelection;
  every: string | undefined;
  everyMs: number | undefined;
  format: z.infer<typeof SeriesFormatSchema> | undefined;
}

type Fields = z.output<typeof CompletenessQueryFields>;

function issue(ctx: z.RefinementCtx, parameter: keyof Fields, message: string): typeof z.NEVER {
  ctx.addIssue({ code: 'custom', path: [parameter], message });
  return z.NEVER;
}

function toRequest(query: Fields, ctx: z.RefinementCtx): CompletenessRequest {
  const nowMs = Date.now();
  const range = resolveTimeRange(query.from, query.to, nowMs);
  if (!range.ok) return issue(ctx, range.parameter, range.message);
  // Readings are owed only up to now: a window reaching into the future would count them missing.
  const toMs = Math.min(range.range.toMs, nowMs);
  if (range.range.fromMs >= toMs) return issue(ctx, 'from', 'must be in the past');
  const { station, gateway, sensor, every, format } = query;
  const selection = { station, gateway, sensor, fromMs: range.range.fromMs, toMs };
  const everyMs = every === undefined ? undefined : windowMs(every);
  // Even one sensor row would pass the limit: refused before any query.
  const windows = everyMs === undefined ? 1 : windowsIn(selection, everyMs);
  if (windows > ROW_LIMIT) {
    return issue(
      ctx,
      'every',
      `gives ${windows} windows; the limit is ${ROW_LIMIT} rows (windows × sensors) per request: ` +
        'use a longer window or a shorter range',
    );
  }
  return { selection, every, everyMs, format };
}

/** The `/v1/completeness` query string, parsed into a validated selection with one resolved range. */
export const CompletenessQuerySchema = CompletenessQueryFields.transform(toRequest);
