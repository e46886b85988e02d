import { z } from 'zod';

/** The defaults a component gives its back-off; each field can still be set in its config. */
interface BackoffDefaults {
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
  jitter: number;
}

/**
 * A back-off policy's schema with a component's own defaults: the ingest retries a database within
 * seconds, a notification over minutes, so they share the shape and not the numbers.
 */
export function backoffPolicySchema(defaults: BackoffDefaults) {
  return z.object({
    initialDelayMs: z.number().int().positive().default(defaults.initialDelayMs),
    maxDelayMs: z.number().int().positive().default(defaults.maxDelayMs),
    factor: z.number().min(1).default(defaults.factor),
    /** Fraction of the delay drawn at random, so many clients do not return to a server in step. */
    jitter: z.number().min(0).max(1).default(defaults.jitter),
  });
}

export type BackoffPolicy = z.output<ReturnType<typeof backoffPolicySchema>>;

/** Past this many doublings every delay is at its cap; keeps `factor ** n` finite for absurd counts. */
const MAX_EXPONENT = 40;

/**
 * Delay before retry number `retry` (1 for the first): exponential from `initialDelayMs`, capped at
 * `maxDelayMs`, spread by ±jitter/2 around the nominal delay and never past the cap. Pure; `random`
 * returns a value in [0, 1).
 */
export function backoffDelayMs(
  retry: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(MAX_EXPONENT, Math.max(0, retry - 1));
  const nominal = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** exponent);
  const spread = nominal * policy.jitter * (random() - 0.5);
  return Math.round(Math.min(policy.maxDelayMs, Math.max(0, nominal + spread)));
}
