import { z } from 'zod';

/** The ceiling Aedes itself enforces (its qlobber matcher holds at most 100 levels). */
export const AEDES_MAX_TOPIC_LEVELS = 100;

const rate = (perSecond: number, burst: number, what: string) =>
  z
    .object({
      perSecond: z.number().positive().default(perSecond).describe(`${what} refilled per second`),
      burst: z.number().int().positive().default(burst).describe(`${what} allowed at once`),
    })
    .strict()
    .prefault({});

const lockout = z
  .object({
    afterFailures: z
      .number()
      .int()
      .positive()
      .default(5)
      .describe('wrong passwords in a row for one account before it is locked out'),
    firstLockMs: z
      .number()
      .int()
      .positive()
      .default(1000)
      .describe('the first lock-out; each wrong password after a lock-out doubles the next one'),
    maxLockMs: z
      .number()
      .int()
      .positive()
      .default(300_000)
      .describe(
        'the longest lock-out; an account without a wrong password for this long after its lock-out starts afresh',
      ),
  })
  .strict()
  .refine((value) => value.maxLockMs >= value.firstLockMs, {
    message: 'maxLockMs must be at least firstLockMs',
    path: ['maxLockMs'],
  })
  .prefault({});

/**
 * What one client or account may take from the broker. The defaults leave a field station's
 * traffic (a batch every few seconds per gateway, a backlog replayed after an outage, every
 * gateway of a station reconnecting through one NAT address after a restart) far below each limit,
 * and stop a runaway or hostile client before it slows everyone else down.
 */
export const BrokerLimitsSchema = z
  .object({
    maxTopicLevels: z
      .number()
      .int()
      .min(1)
      .max(AEDES_MAX_TOPIC_LEVELS)
      .default(16)
      .describe('topic levels in a PUBLISH topic or SUBSCRIBE filter; the contract uses 5'),
    maxConnectionsPerAccount: z
      .number()
      .int()
      .positive()
      .default(16)
      .describe('live connections of one account; a takeover of its own client id does not add one'),
    connectionRate: rate(20, 100, 'CONNECTs per source address'),
    accountLockout: lockout,
    messageRate: rate(500, 1000, 'PUBLISH packets per client'),
    maxQueuedPerSession: z
      .number()
      .int()
      .positive()
      .default(100_000)
      .describe('QoS 1/2 messages the broker keeps for one offline persistent session'),
    drainTimeoutMs: z
      .number()
      .int()
      .min(0)
      .default(10_000)
      .describe('how long a subscriber may leave its socket full before it is disconnected; 0 never'),
  })
  .strict();

export type BrokerLimits = z.output<typeof BrokerLimitsSchema>;
export type BrokerLimitsInput = z.input<typeof BrokerLimitsSchema>;
export type RateLimit = BrokerLimits['messageRate'];
export type LockoutPolicy = BrokerLimits['accountLockout'];
