import { z } from 'zod';
import type { SeriesPoint } from '../queries/series-chunks.js';
import { isoTime } from './iso-time.js';

export const ReadingValueSchema = z.object({
  time: z.string().describe('sample time, RFC 3339 UTC'),
  value: z.number().nullable(),
  qc: z
    .number()
    .int()
    .nullable()
    .describe('QARTOD flag: 1 pass, 2 not evaluated, 3 suspect, 4 fail, 9 missing'),
});

export type ReadingValue = z.infer<typeof ReadingValueSchema>;

export function readingValue(point: SeriesPoint): ReadingValue {
  return { time: isoTime(point.time), value: point.value, qc: point.qc };
}
