import { z } from 'zod';

export const ValueRangeSchema = z
  .strictObject({ min: z.number(), max: z.number() })
  .refine((range) => range.min <= range.max, { message: 'min must not exceed max', path: ['max'] });

const Positive = z.number().positive();

/**
 * QARTOD tests run at the gateway on every reading, after calibration. The sensor's `range` is the
 * gross range test's sensor span (outside: fail); these add the rest. A reading's `qc` is the worst
 * flag of the tests that could be evaluated, 1 (pass) if all passed, 2 if none could be.
 */
export const QcConfigSchema = z.strictObject({
  /** Gross range test, user span: plausible for this site and season; outside is suspect. */
  suspectRange: ValueRangeSchema.optional(),
  /** Rate of change test: a change faster than this, per second, since the last good reading is suspect. */
  rateOfChange: z.strictObject({ maxPerSecond: Positive }).optional(),
  /**
   * Spike test: how far a reading may stand from the mean of the two readings before it. Run
   * causally (readings leave without waiting for the next one), so the first one or two readings
   * after a genuine step are flagged too.
   */
  spike: z
    .strictObject({ suspect: Positive, fail: Positive })
    .refine((spike) => spike.fail >= spike.suspect, {
      message: 'fail must not be below suspect',
      path: ['fail'],
    })
    .optional(),
  /** Flat line test: this many consecutive readings within `tolerance` of each other are suspect, then fail. */
  flatLine: z
    .strictObject({
      tolerance: z.number().nonnegative(),
      suspectCount: z.number().int().min(2),
      failCount: z.number().int().min(2),
    })
    .refine((flat) => flat.failCount >= flat.suspectCount, {
      message: 'failCount must not be below suspectCount',
      path: ['failCount'],
    })
    .optional(),
});

export type ValueRange = z.output<typeof ValueRangeSchema>;
export type QcConfig = z.output<typeof QcConfigSchema>;
