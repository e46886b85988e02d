import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelayMs } from '../../backoff/index.js';
import { InfluxError, type LineWriter, type Precision } from '../../influx/index.js';
import type { RetryPolicy } from './retry-policy.js';

export interface RetryNotice {
  attempt: number;
  delayMs: number;
  error: InfluxError;
}

export interface StoreOptions {
  policy: RetryPolicy;
  /** Aborting (on stop) ends the retrying: a write in flight completes, no further attempt is made. */
  signal: AbortSignal;
  onRetry(notice: RetryNotice): void;
}

export class StoreAbortedError extends Error {
  readonly code = 'STORE_ABORTED';
  constructor(options?: ErrorOptions) {
    super('stopped before the write succeeded; the message stays unacknowledged for redelivery', options);
    this.name = 'StoreAbortedError';
  }
}

/**
 * Writes until InfluxDB has stored the lines. Failures that can succeed later (network, 429, 5xx,
 * and 401/403/404, which an operator fixes) are retried, forever, with back-off: the caller holds
 * the MQTT acknowledgement meanwhile, so the broker keeps the rest queued and nothing piles up in
 * memory. A rejection of the points themselves (400, 413) is thrown.
 */
export async function storeLines(
  writer: LineWriter,
  lines: readonly string[],
  precision: Precision,
  options: StoreOptions,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await writer.write(lines, precision);
      return;
    } catch (error) {
      if (!(error instanceof InfluxError) || !error.retryable) throw error;
      if (options.signal.aborted) throw new StoreAbortedError({ cause: error });
      const delayMs = backoffDelayMs(attempt, options.policy);
      options.onRetry({ attempt, delayMs, error });
      try {
        await sleep(delayMs, undefined, { signal: options.signal });
      } catch (abort) {
        throw new StoreAbortedError({ cause: abort });
      }
    }
  }
}
