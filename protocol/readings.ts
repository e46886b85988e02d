import { z } from 'zod';
import { SensorIdSchema } from './identifiers.js';
import { QcFlag, QcFlagSchema } from './quality.js';
import { TimestampSchema } from './time.js';

/** Upper bounds that keep one message cheap to validate and to write in one InfluxDB request. */
export const MAX_READINGS_PER_BATCH = 5000;
export const MAX_PAYLOAD_BYTES = 1024 * 1024;

// Quantities are free names chosen by the station ("co2", "ice-thickness"), slugs like every id.
export const QuantitySchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be a lower-case name such as "co2" or "ice-thickness"');

// UCUM codes use printable ASCII; quotes, backslashes, commas and '=' are excluded because the unit
// becomes an InfluxDB tag and a CSV column. No UCUM code begins with '+', '-' or '@', and a cell that
// does is read as a formula by spreadsheets (OWASP's CSV injection), so none may.
export const UnitSchema = z
  .string()
  .min(1)
  .max(32)
  .regex(
    /^[!#-&(-*./0-9:;<>?A-Z[\]^_`a-z{|}~%][!#-&(-+\-./0-9:;<>?@A-Z[\]^_`a-z{|}~%]*$/,
    'must be a UCUM code such as "[ppm]", "Cel", "mm" or "N" (and may not begin with "+", "-" or "@")',
  );

export const ReadingSchema = z.object({
  sensor: SensorIdSchema,
  quantity: QuantitySchema,
  unit: UnitSchema,
  value: z.number().refine(Number.isFinite, 'must be a finite number'),
  time: TimestampSchema,
  qc: QcFlagSchema.default(QcFlag.notEvaluated),
  /**
   * Present when the gateway's clock was known not to be synchronised (no NTP, no GPS, or too far
   * from its reference) at sample time: `time` may be off by more than the station tolerates.
   */
  clock: z.enum(['unsynced']).optional(),
});

export const READINGS_VERSION = 1;

/** One `readings` message: a batch from one gateway; station and gateway come from the topic. */
export const ReadingsBatchSchema = z.object({
  v: z.literal(READINGS_VERSION),
  seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  readings: z.array(ReadingSchema).min(1).max(MAX_READINGS_PER_BATCH),
});

/** What a publisher may write (time as ms or RFC 3339, qc optional). */
export type ReadingInput = z.input<typeof ReadingSchema>;
/** What a receiver works with after parsing (time in epoch ms, qc set). */
export type Reading = z.output<typeof ReadingSchema>;
export type ReadingsBatchInput = z.input<typeof ReadingsBatchSchema>;
export type ReadingsBatch = z.output<typeof ReadingsBatchSchema>;
