import { z } from 'zod';

const Count = z.number().int().nonnegative();

const GapSchema = z
  .tuple([z.string(), z.string()])
  .describe(
    'a span of more than 3 announced intervals without a reading, cut to the window: [last reading ' +
      'before it or the window start, first reading after it or the window end], RFC 3339 UTC',
  );

export const SensorWindowSchema = z.object({
  from: z.string().describe('window start, RFC 3339 UTC'),
  to: z.string().describe('window end (exclusive)'),
  expected: Count.nullable().describe(
    'readings owed: whole announced intervals in the window; null without an announced interval',
  ),
  received: Count.describe('readings stored in the window'),
  missing: Count.nullable().describe('max(0, expected − received); null without an announced interval'),
  gaps: z.array(GapSchema).nullable().describe('null without an announced interval'),
  gapsTruncated: z
    .boolean()
    .describe('true: the sensor row reached its limit of listed gaps and some of this window are not listed'),
});

export const SensorCompletenessSchema = z.object({
  sensor: z.string(),
  quantity: z.string(),
  intervalMs: z
    .number()
    .nullable()
    .describe('sampling interval the gateway announces now (its retained status); null if none'),
  windows: z.array(SensorWindowSchema),
});

export const GatewayWindowSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    messages: Count.nullable().describe('messages the ingest received from the gateway'),
    duplicates: Count.nullable().describe('messages delivered again (stored once)'),
    late: Count.nullable().describe('messages that arrived after a later one, filling a sequence gap'),
  })
  .describe(
    "change of the ingest's running totals (gateway_sequence) over the window: its last totals minus " +
      'the last before it; a total that fell was counted from 0 again, and its new value is the change. ' +
      'null: no totals were written in the window (the ingest was not running or did not know the ' +
      'gateway yet); the next window with totals then includes what happened in between',
  );

export const GatewayCompletenessSchema = z.object({
  gateway: z.string(),
  windows: z.array(GatewayWindowSchema),
  sensors: z.array(SensorCompletenessSchema),
});

export const CompletenessDocumentSchema = z.object({
  station: z.string(),
  from: z.string(),
  to: z.string().describe('the requested end, or now if that was later'),
  every: z.string().nullable().describe('null: the whole range is one window'),
  gateways: z.array(GatewayCompletenessSchema),
});

export type SensorWindow = z.infer<typeof SensorWindowSchema>;
export type SensorCompleteness = z.infer<typeof SensorCompletenessSchema>;
export type GatewayWindow = z.infer<typeof GatewayWindowSchema>;
export type GatewayCompleteness = z.infer<typeof GatewayCompletenessSchema>;
export type CompletenessDocument = z.infer<typeof CompletenessDocumentSchema>;

export const CompletenessCsvSchema = z
  .string()
  .describe(
    'CSV (RFC 4180, CRLF), one row per gateway, sensor row and window, with header station,gateway,' +
      'sensor,quantity,from,to,interval_ms,expected,received,missing,messages,duplicates,late,gap_count,' +
      'gaps,gaps_truncated. The gateway columns (messages, duplicates, late) repeat on each of its ' +
      'sensor rows; a gateway without sensor rows has one row per window with empty sensor cells. ' +
      '`gaps` lists the spans as ISO 8601 intervals (start/end) separated by spaces. Empty cells are null.',
  );
