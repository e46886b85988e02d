import { z } from 'zod';
import { backoffDelayMs, backoffPolicySchema } from '../../backoff/index.js';

export const DeliveryRetrySchema = backoffPolicySchema({
  initialDelayMs: 30_000,
  maxDelayMs: 15 * 60_000,
  factor: 2,
  jitter: 0.2,
}).extend({
  /** Retried for at least this long after the first attempt, then given up as failed. */
  giveUpAfterMs: z
    .number()
    .int()
    .positive()
    .default(60 * 60_000),
});

export type DeliveryRetry = z.output<typeof DeliveryRetrySchema>;

/** The back-off's delay before retry number `attempt`, or a receiver's `Retry-After` when it asks for longer. */
export function retryDelayMs(
  attempt: number,
  policy: DeliveryRetry,
  random: () => number = Math.random,
  retryAfterMs?: number,
): number {
  return Math.max(backoffDelayMs(attempt, policy, random), retryAfterMs ?? 0);
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
