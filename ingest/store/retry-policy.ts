import type { z } from 'zod';
import { backoffPolicySchema } from '../../backoff/index.js';

/** How the ingest retries InfluxDB and the broker: within seconds, since readings wait meanwhile. */
export const RetryPolicySchema = backoffPolicySchema({
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: 0.2,
});

export type RetryPolicy = z.output<typeof RetryPolicySchema>;
