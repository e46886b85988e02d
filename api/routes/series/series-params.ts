import { z } from 'zod';
import { DURATION_PATTERN } from '../../../influx/index.js';
import { GatewayIdSchema, QuantitySchema, SensorIdSchema, StationIdSchema } from '../../../protocol/index.js';
import { TimeExpressionSchema, windowMs } from '../../params/time-expression.js';
import { resolveTimeRange, type TimeRange } from '../../params/time-range.js';
import { AGGREGATE_FUNCTIONS, type Aggregation, type SeriesSelection } from '../../queries/series-query.js';
import { decodeCursor, type RawCursor } from './series-cursor.js';

/** Raw points one page may hold (`limit` at most); more are reached through `next`. */
export const RAW_POINT_LIMIT = 1_000_000;
/**
 * Raw points a page holds when the request sets no `limit`: the old cap, so every request that was
 * answered before paging came is answered whole as before, and a client unaware of `next` loses nothing it had.
 */
export const RAW_PAGE_DEFAULT = RAW_POINT_LIMIT;
/** Sensors one request may name with a repeated `sensor=`. */
export const SENSORS_MAX = 50;
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

export const SeriesLayoutSchema = z.enum(['long', 'wide']);
export const CsvHeaderSchema = z.enum(['plain', 'comments']);

const SeriesQueryFields = z.object({
  station: StationIdSchema,
  sensor: z
    .union([SensorIdSchema, z.array(SensorIdSchema).min(1).max(SENSORS_MAX)])
    .optional()
    .describe(
      `sensor id; repeat (sensor=a&sensor=b, at most ${SENSORS_MAX}) for several sensors of the station`,
    ),
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
  layout: SeriesLayoutSchema.default('long').describe(
    'long (default): one row per point and series; wide: one row per window, a value and a qc column per ' +
      'series (only with "every")',
  ),
  header: CsvHeaderSchema.default('plain').describe(
    'CSV only: comments puts a block of `#` lines (station, sensors, units, QC flags, the query, the time) ' +
      "before the column names; read with pandas.read_csv(..., comment='#')",
  ),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(RAW_POINT_LIMIT, `must be at most ${RAW_POINT_LIMIT}; follow "next" for more`)
    .optional()
    .describe(`raw only: points per page, default ${RAW_PAGE_DEFAULT}, at most ${RAW_POINT_LIMIT}`),
  cursor: z
    .string()
    .max(2048)
    .optional()
    .describe('raw only: where the page starts, as given in the previous page\'s "next"; opaque'),
});

export interface RawPaging {
  limit: number;
  cursor: RawCursor | undefined;
}

export interface SeriesRequest {
  selection: SeriesSelection;
  aggregation: Aggregation | undefined;
  format: z.infer<typeof SeriesFormatSchema> | undefined;
  layout: z.infer<typeof SeriesLayoutSchema>;
  header: z.infer<typeof CsvHeaderSchema>;
  /** Raw requests only: every raw request is paged. */
  paging: RawPaging | undefined;
}

type Fields = z.output<typeof SeriesQueryFields>;

function issue(ctx: z.RefinementCtx, parameter: keyof Fields, message: string): typeof z.NEVER {
  ctx.addIssue({ code: 'custom', path: [parameter], message });
  return z.NEVER;
}

function sensorsOf(sensor: Fields['sensor']): Pick<SeriesSelection, 'sensor' | 'sensors'> {
  if (sensor === undefined) return {};
  const sensors = [...new Set(typeof sensor === 'string' ? [sensor] : sensor)];
  return sensors.length === 1 ? { sensor: sensors[0] } : { sensors };
}

function rawPaging(query: Fields, selection: SeriesSelection, ctx: z.RefinementCtx): RawPaging {
  if (query.layout === 'wide') {
    // Raw timestamps of different sensors rarely coincide: aligning them is resampling, which is what `every` does.
    return issue(
      ctx,
      'layout',
      'wide needs "every" (e.g. every=1m&fn=mean): raw points of different sensors do not share timestamps',
    );
  }
  if (query.cursor === undefined) return { limit: query.limit ?? RAW_PAGE_DEFAULT, cursor: undefined };
  const decoded = decodeCursor(query.cursor, selection);
  if (!decoded.ok) return issue(ctx, 'cursor', decoded.message);
  return { limit: query.limit ?? RAW_PAGE_DEFAULT, cursor: decoded.cursor };
}

function toRequest(query: Fields, ctx: z.RefinementCtx): SeriesRequest {
  if (query.sensor === undefined && query.quantity === undefined) {
    return issue(ctx, 'sensor', 'is required unless "quantity" is given');
  }
  if (query.fn !== undefined && query.every === undefined)
    return issue(ctx, 'fn', 'is only allowed with "every"');
  const range = resolveTimeRange(query.from, query.to, Date.now());
  if (!range.ok) return issue(ctx, range.parameter, range.message);
  const { station, gateway, quantity, format, layout, header } = query;
  const selection = { station, gateway, ...sensorsOf(query.sensor), quantity, ...range.range };
  const shared = { selection, format, layout, header };
  if (query.every === undefined) {
    return { ...shared, aggregation: undefined, paging: rawPaging(query, selection, ctx) };
  }
  // Windowed requests keep their limit on windows × series; pages are for raw points.
  if (query.limit !== undefined) return issue(ctx, 'limit', 'is only for raw points (without "every")');
  if (query.cursor !== undefined) return issue(ctx, 'cursor', 'is only for raw points (without "every")');
  // Even one series would pass the limit: refused before any query.
  const windows = windowsIn(range.range, windowMs(query.every) ?? 1);
  if (windows > WINDOW_LIMIT) {
    return issue(
      ctx,
      'every',
      `gives ${windows} windows per series; the limit is ${WINDOW_LIMIT} per request: use a longer window`,
    );
  }
  return { ...shared, aggregation: { every: query.every, fn: query.fn ?? 'mean' }, paging: undefined };
}

/** The `/v1/series` query string, parsed into a validated selection with one resolved time range. */
export const SeriesQuerySchema = SeriesQueryFields.transform(toRequest);
