import { z } from 'zod';

export const DeliveryRetrySchema = z.object({
  initialDelayMs: z.number().int().positive().default(30_000),
  maxDelayMs: z
    .number()
    .int()
    .positive()
    .default(15 * 60_000),
  factor: z.number().min(1).default(2),
  /** Fraction of the delay drawn at random, so retries of many notifications do not arrive in step. */
  jitter: z.number().min(0).max(1).default(0.2),
  /** Retried for at least this long after the first attempt, then given up as failed. */
  giveUpAfterMs: z
    .number()
    .int()
    .positive()
    .default(60 * 60_000),
});

export type DeliveryRetry = z.output<typeof DeliveryRetrySchema>;

/**
 * Delay before retry number `attempt` (1 for the first retry): exponential, capped at `maxDelayMs`,
 * spread by ±jitter/2. A receiver's `Retry-After` is honoured when it asks for longer. Pure.
 */
export function retryDelayMs(
  attempt: number,
  policy: DeliveryRetry,
  random: () => number = Math.random,
  retryAfterMs?: number,
): number {
  const nominal = Math.min(
    policy.maxDelayMs,
    policy.initialDelayMs * policy.factor ** Math.max(0, attempt - 1),
  );
  const jittered = Math.round(nominal * (1 - policy.jitter / 2 + policy.jitter * random()));
  return Math.max(jittered, retryAfterMs ?? 0);
}

export type RetryDecision = { retryAt: number } | { giveUp: true };

/**
 * After failed attempt number `attempt`: when to try again, or to give up once the next try would
 * fall past `giveUpAfterMs` from the first attempt. Pure.
 */
export function decideRetry(args: {
  attempt: number;
  firstAttemptAt: number;
  now: number;
  policy: DeliveryRetry;
  retryAfterMs?: number;
  random?: () => number;
}): RetryDecision {
  const delay = retryDelayMs(args.attempt, args.policy, args.random, args.retryAfterMs);
  const retryAt = args.now + delay;
  const deadline = args.firstAttemptAt + args.policy.giveUpAfterMs;
  if (args.now >= deadline) return { giveUp: true };
  // The last try lands on the deadline rather than after it: at least `giveUpAfterMs` of trying.
  return { retryAt: Math.min(retryAt, deadline) };
}
