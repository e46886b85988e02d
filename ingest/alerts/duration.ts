import { z } from 'zod';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration as people write it in a rules file: `30s`, `5m`, `2h`, `1d`, `250ms`, or a number of
 * milliseconds. Parsed once at the edge into ms.
 */
/** The longest duration a rules file may give. */
export const MAX_DURATION_MS = 366 * 86_400_000;
const TOO_LONG = 'must be at most 366d';

const EXPECTED = 'must be a duration such as "30s", "5m", "2h" or a number of ms';

export const DurationSchema = z
  .union(
    [
      z.number().int().nonnegative(),
      z
        .string()
        .regex(/^\d+(\.\d+)?(ms|s|m|h|d)$/, EXPECTED)
        .transform((text) => {
          const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text);
          return Math.round(Number(match?.[1]) * (UNIT_MS[match?.[2] ?? 'ms'] ?? 1));
        }),
    ],
    { error: EXPECTED },
  )
  // A typo of a few digits too many (or hundreds: "999…9d" is Infinity) would be a rule that can
  // never fire or clear, accepted in silence; a year is longer than any field condition lasts.
  .pipe(z.number({ error: TOO_LONG }).max(MAX_DURATION_MS, TOO_LONG));

/** A positive duration (a window, a `for` of 0 is allowed but a window of 0 is not). */
export const PositiveDurationSchema = DurationSchema.refine((ms) => ms > 0, 'must be longer than 0');

/** Units a rate is expressed per: `per: h` means the threshold is in the reading's unit per hour. */
export const RatePerSchema = z.enum(['s', 'min', 'h', 'd']);
export const PER_MS: Readonly<Record<z.infer<typeof RatePerSchema>, number>> = {
  s: 1000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** For messages: 300000 → "5m", 5400000 → "1.5h". */
export function formatDuration(ms: number): string {
  if (ms >= 86_400_000 && ms % 3_600_000 === 0 && ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms >= 3_600_000) return `${Number((ms / 3_600_000).toPrecision(3))}h`;
  if (ms >= 60_000) return `${Number((ms / 60_000).toPrecision(3))}m`;
  return `${Number((ms / 1000).toPrecision(3))}s`;
}
