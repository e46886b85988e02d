import type { BackoffPolicy } from '../backoff/index.js';

/**
 * How a gateway retries a lost port, board or broker: from a second up to half a minute, with the
 * widest jitter, since every gateway of a station loses the same broker at once and should not
 * come back in step.
 */
export const DEFAULT_BACKOFF: BackoffPolicy = {
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: 1,
};
