import { z } from 'zod';
import { DURATION_PATTERN } from '../../../influx/index.js';
import { GatewayIdSchema, QuantitySchema, SensorIdSchema, StationIdSchema } from '../../../protocol/index.js';
import { TimeExpressionSchema, windowMs } from '../../params/time-expression.js';
import { resolveTimeRange, type TimeRange } from '../../params/time-range.js';
import { AGGREGATE_FUNCTIONS, type Aggregation, type SeriesSelection } from '../../queries/series-query.js';

/** Raw points one request may stream; more must be aggregated with `every`. */
export const RAW_POINT_LIMIT = 1_000_000;
/** Windows one aggregated request may return, counted over all its series (windows × series). */
export const WINDOW_LIMIT = 1_000_000;

/**
 * Windows of `everyMs` that [fromMs, toMs) touches. InfluxDB aligns windows to the epoch, so a range
 * that starts inside a window gets that whole window too.
 */
export function windowsIn(range: TimeRange, everyMs: number): number {
  return Math.floor((range.toMs - 1) / everyMs) - Math.floor(range.fromMs / everyMs) + 1;
}

export const SeriesFormatSchema = z.enum(['json', 'csv']);

/** A window such as `1d`, as `every` takes it on every route that cuts a range into windows. */
export const EverySchema = z
  .string()
  .regex(DURATION_PATTERN, 'must be a window such as 30s, 5m, 1h or 1d')
  .refine((text) => windowMs(text) !== undefined, 'must be at most a year (366d)');

const SeriesQueryFields = z.object({
  station: StationIdSchema,
  sensor: SensorIdSchema.optional(),
  quantity: QuantitySchema.optional().describe(
    'quantity, e.g. "co2"; all sensors of the station measuring it',
  ),
  gateway: GatewayIdSchema.optional(),
  from: TimeExpressionSchema.default('-24h'),
  to: TimeExpressionSchema.default('now'),
  every: EverySchema.optional().describe('aggregation window; absent means raw points'),
  fn: z
    .enum(AGGREGATE_FUNCTIONS)
    .optional()
    .describe('aggregate per window (default mean); only with "every"'),
  format: SeriesFormatSchema.optional().describe('csv, or send Accept: text/csv; JSON otherwise'),
});

export interface SeriesRequest {
  selection: SeriesSelection;
  aggregation: Aggregation | undefined;
  format: z.infer<typeof SeriesFormatSchema> | undefined;
}

type Fields = z.output<typeof SeriesQueryFields>;

function issue(ctx: z.RefinementCtx, parameter: keyof Fields, message: string): typeof z.NEVER {
  ctx.addIssue({ code: 'custom', path: [parameter], message });
  return z.NEVER;
}

function toRequest(query: Fields, ctx: z.RefinementCtx): SeriesRequest {
  if (query.sensor === undefined && query.quantity === undefined) {
    return issue(ctx, 'sensor', 'is required unless "quantity" is given');
  }
  if (query.fn !== undefined && query.every === undefined)
    return issue(ctx, 'fn', 'is only allowed with "every"');
  const range = resolveTimeRange(query.from, query.to, Date.now());
  if (!range.ok) return issue(ctx, range.parameter, range.message);
  const { station, gateway, sensor, quantity } = query;
  const selection = { station, gateway, sensor, quantity, ...range.range };
  if (query.every === undefined) return { selection, aggregation: undefined, format: query.format };
  // Even one series would pass the limit: refused before any query.
  const windows = windowsIn(range.range, windowMs(query.every) ?? 1);
  if (windows > WINDOW_LIMIT) {
    return issue(
      ctx,
      'every',
      `gives ${windows} windows per series; the limit is ${WINDOW_LIMIT} per request: use a longer window`,
    );
  }
  return { selection, aggregation: { every: query.every, fn: query.fn ?? 'mean' }, format: query.format };
}

/** The `/v1/series` query string, parsed into a validated selection with one resolved time range. */
export const SeriesQuerySchema = SeriesQueryFields.transform(toRequest);
