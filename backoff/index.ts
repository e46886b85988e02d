export { type BackoffPolicy, backoffDelayMs, backoffPolicySchema } from './backoff-delay.js';
export { parseRetryAfter } from './retry-after.js';
