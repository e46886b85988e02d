import { z } from 'zod';
import { AGGREGATE_FUNCTIONS } from '../../queries/series-query.js';
import { StreamFailureSchema } from './stream-failure.js';

export const SeriesPointSchema = z.object({
  time: z.string().describe('RFC 3339 UTC; the window start for aggregated series'),
  value: z
    .number()
    .nullable()
    .describe('null: no data in this window (a gap, never interpolated); fn=count gives 0 there instead'),
  qc: z
    .number()
    .int()
    .nullable()
    .describe('QARTOD flag; for a window, the worst flag in it; null for an empty window'),
});

export const SeriesSchema = z.object({
  station: z.string(),
  gateway: z.string(),
  sensor: z.string(),
  quantity: z.string(),
  unit: z.string(),
  intervalMs: z.number().nullable().describe('sampling interval the gateway announced, if any'),
  points: z.array(SeriesPointSchema),
  gaps: z
    .array(z.tuple([z.string(), z.string()]))
    .optional()
    .describe('raw series only: [last point before, first point after] where points are >3 intervals apart'),
});

export const SeriesDocumentSchema = z.object({
  station: z.string(),
  from: z.string(),
  to: z.string(),
  every: z.string().nullable(),
  fn: z.enum(AGGREGATE_FUNCTIONS).nullable(),
  series: z.array(SeriesSchema),
  next: z
    .string()
    .nullable()
    .optional()
    .describe('raw only: URL of the next page, null on the last one; the cursor in it is opaque'),
  error: StreamFailureSchema.optional(),
});

export const WideDocumentSchema = z
  .object({
    station: z.string(),
    from: z.string(),
    to: z.string(),
    every: z.string(),
    fn: z.enum(AGGREGATE_FUNCTIONS),
    layout: z.literal('wide'),
    columns: z
      .array(z.string())
      .describe('names of the cells of each row: time, then value and qc per series'),
    series: z.array(
      z.object({
        station: z.string(),
        gateway: z.string(),
        sensor: z.string(),
        quantity: z.string(),
        unit: z.string(),
        columns: z.object({ value: z.string(), qc: z.string() }),
      }),
    ),
    rows: z
      .array(z.array(z.union([z.string(), z.number(), z.null()])))
      .describe('one per window: [time, value, qc, value, qc, …]; null where a series has no data'),
    error: StreamFailureSchema.optional(),
  })
  .describe('layout=wide');

export type SeriesDocument = z.infer<typeof SeriesDocumentSchema>;
export type SeriesDocumentHeader = Omit<SeriesDocument, 'series' | 'error' | 'next'>;

export const SeriesCsvSchema = z
  .string()
  .describe(
    'CSV (RFC 4180, CRLF) with header time,station,gateway,sensor,quantity,unit,value,qc; time in RFC 3339 UTC. ' +
      "A text cell starting with =, +, -, @, tab or CR is defused as a quoted cell with a leading ' " +
      '(OWASP CSV injection); value and qc are plain numbers. If the stream fails after the status ' +
      'line, the rows so far are followed by one last line `# error: CODE detail` (e.g. ' +
      '`# error: INFLUX_UNREACHABLE the response is incomplete: …`): the data is incomplete. A raw page ' +
      'that is not the last ends with `# next: URL`. layout=wide: header time, then per series ' +
      '`<sensor> <quantity> <unit>` and `<sensor> <quantity> qc`, one row per window, empty cells where ' +
      'there is no data. header=comments puts `# key: value` lines (provenance) before the header row.',
  );
