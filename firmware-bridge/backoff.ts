export interface BackoffOptions {
  minMs: number;
  maxMs: number;
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { minMs: 1000, maxMs: 30_000, factor: 2 };

/**
 * Delay before retry number `attempt` (0 for the first): exponential, capped, with "equal jitter"
 * (half fixed, half random) so many gateways that lost the same broker do not return in step.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxMs, options.minMs * options.factor ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
