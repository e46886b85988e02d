import { z } from 'zod';
import { backoffDelayMs } from '../backoff/index.js';

/** When and for how long a private influxd that exited unexpectedly is started again. */
export const RestartPolicySchema = z.object({
  /** The wait before the first attempt; it doubles with each failed one. */
  initialDelayMs: z.number().int().positive().default(500),
  /** The longest wait between two attempts. */
  maxDelayMs: z.number().int().positive().default(10_000),
  /** How long after the exit the server must answer again; then the caller gives up. */
  giveUpAfterMs: z.number().int().positive().default(60_000),
});

export type RestartPolicy = z.infer<typeof RestartPolicySchema>;
export type RestartPolicyInput = z.input<typeof RestartPolicySchema>;

/** The wait before restart attempt `attempt` (1 for the first): doubling from the initial delay, capped. */
export function restartDelay(attempt: number, policy: RestartPolicy): number {
  // No jitter: one supervisor restarts one server, nothing to spread out.
  return backoffDelayMs(attempt, { ...policy, factor: 2, jitter: 0 });
}

/** An outage of the server: when it went down and how many restarts have been tried since. */
export interface Outage {
  since: number;
  attempts: number;
}

export type RestartDecision =
  | {
      kind: 'restart';
      attempt: number;
      delayMs: number;
      /** How long the attempt may wait for the server to answer: up to the give-up deadline. */
      startTimeoutMs: number;
    }
  | { kind: 'give-up'; downForMs: number };

/**
 * What to do next in an outage, at `now`: the next attempt, or give up when it could not begin
 * before the deadline (waiting for it would only delay the exit a service manager acts on).
 */
export function decideRestart(outage: Outage, now: number, policy: RestartPolicy): RestartDecision {
  const attempt = outage.attempts + 1;
  const delayMs = restartDelay(attempt, policy);
  const startTimeoutMs = outage.since + policy.giveUpAfterMs - (now + delayMs);
  if (startTimeoutMs <= 0) return { kind: 'give-up', downForMs: now - outage.since };
  return { kind: 'restart', attempt, delayMs, startTimeoutMs };
}
