import { z } from 'zod';

export const RetryPolicySchema = z.object({
  initialDelayMs: z.number().int().positive().default(500),
  maxDelayMs: z.number().int().positive().default(30_000),
  factor: z.number().min(1).default(2),
  /** Fraction of the delay drawn at random, so many ingests do not hammer a recovering server in step. */
  jitter: z.number().min(0).max(1).default(0.2),
});

export type RetryPolicy = z.output<typeof RetryPolicySchema>;

/**
 * Delay before retry number `attempt` (1 for the first retry): exponential back-off capped at
 * `maxDelayMs`, spread by ±jitter/2 around the nominal value. Pure; `random` returns a value in [0, 1).
 */
export function retryDelayMs(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, attempt - 1);
  const nominal = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** exponent);
  const spread = nominal * policy.jitter * (random() - 0.5);
  return Math.round(Math.min(policy.maxDelayMs, Math.max(0, nominal + spread)));
}
