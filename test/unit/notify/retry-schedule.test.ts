import { describe, expect, it } from 'vitest';
import { DeliveryRetrySchema, decideRetry, retryDelayMs } from '../../../notify/index.js';

const policy = DeliveryRetrySchema.parse({
  initialDelayMs: 1000,
  maxDelayMs: 60_000,
  jitter: 0.2,
  giveUpAfterMs: 3_600_000,
});
const middle = () => 0.5;

describe('delivery back-off', () => {
  it('doubles from the initial delay up to the cap, jitter centred on the nominal delay', () => {
    expect([1, 2, 3, 4, 7, 20].map((attempt) => retryDelayMs(attempt, policy, middle))).toEqual([
      1000, 2000, 4000, 8000, 60_000, 60_000,
    ]);
    expect(retryDelayMs(1, policy, () => 0)).toBe(900);
    expect(retryDelayMs(1, policy, () => 0.999_999)).toBe(1100);
  });

  it('honours a longer Retry-After', () => {
    expect(retryDelayMs(1, policy, middle, 120_000)).toBe(120_000);
    expect(retryDelayMs(3, policy, middle, 10)).toBe(4000);
  });

  it('keeps trying for the whole give-up period, the last try on its end, then gives up', () => {
    expect(decideRetry({ attempt: 30, firstAttemptAt: 0, now: 3_590_000, policy, random: middle })).toEqual({
      retryAt: 3_600_000,
    });
    expect(decideRetry({ attempt: 31, firstAttemptAt: 0, now: 3_600_000, policy, random: middle })).toEqual({
      giveUp: true,
    });
  });
});
