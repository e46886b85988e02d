import { z } from 'zod';

// Sample times before 2000 or after 2100 are clock faults (an RTC that lost power reads 1970).
export const EARLIEST_SAMPLE_MS = Date.UTC(2000, 0, 1);
export const LATEST_SAMPLE_MS = Date.UTC(2100, 0, 1);

const EpochMillisSchema = z
  .number()
  .int('must be whole milliseconds since the epoch')
  .min(EARLIEST_SAMPLE_MS, 'is before 2000-01-01: the clock is not set')
  .max(LATEST_SAMPLE_MS, 'is after 2100-01-01');

const Rfc3339Schema = z.iso
  .datetime({ offset: true, message: 'must be an RFC 3339 time with a zone, e.g. 2026-11-27T08:00:00Z' })
  .transform((text) => Date.parse(text))
  .pipe(EpochMillisSchema);

/** A UTC instant, given as epoch milliseconds or an RFC 3339 string with a zone; always parsed to epoch ms. */
export const TimestampSchema = z.union([EpochMillisSchema, Rfc3339Schema]);
