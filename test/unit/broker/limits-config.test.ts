import { describe, expect, it } from 'vitest';
import { BrokerConfigSchema } from '../../../broker/config.js';
import { BrokerLimitsSchema } from '../../../broker/limits/limits-config.js';

describe('broker limits config', () => {
  it('has a default for every limit', () => {
    expect(BrokerConfigSchema.parse({ credentialsFile: 'a.json' }).limits).toEqual({
      maxTopicLevels: 16,
      maxConnectionsPerAccount: 16,
      connectionRate: { perSecond: 20, burst: 100 },
      accountLockout: { afterFailures: 5, firstLockMs: 1000, maxLockMs: 300_000 },
      messageRate: { perSecond: 500, burst: 1000 },
      maxQueuedPerSession: 100_000,
      drainTimeoutMs: 10_000,
    });
  });

  it('fills in the rest of a partly given rate', () => {
    expect(BrokerLimitsSchema.parse({ messageRate: { perSecond: 5 } }).messageRate).toEqual({
      perSecond: 5,
      burst: 1000,
    });
  });

  it('refuses a topic depth beyond what Aedes can match', () => {
    expect(() => BrokerLimitsSchema.parse({ maxTopicLevels: 101 })).toThrow();
    expect(() => BrokerLimitsSchema.parse({ maxQueuedPerSession: 0 })).toThrow();
  });

  it('refuses a longest lock-out shorter than the first', () => {
    expect(() =>
      BrokerLimitsSchema.parse({ accountLockout: { firstLockMs: 5000, maxLockMs: 1000 } }),
    ).toThrow(/maxLockMs must be at least firstLockMs/);
    expect(BrokerLimitsSchema.parse({ accountLockout: { maxLockMs: 1000 } }).accountLockout).toEqual({
      afterFailures: 5,
      firstLockMs: 1000,
      maxLockMs: 1000,
    });
  });
});
