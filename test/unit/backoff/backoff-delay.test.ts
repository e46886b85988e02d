import { describe, expect, it } from 'vitest';
import { backoffDelayMs, backoffPolicySchema, parseRetryAfter } from '../../../backoff/index.js';

const policy = backoffPolicySchema({ initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.2 }).parse(
  {},
);

describe('backoffDelayMs', () => {
  it('doubles from the initial delay and caps at the maximum', () => {
    const mid = (): number => 0.5;
    expect([1, 2, 3, 4, 5, 10, 1e6].map((retry) => backoffDelayMs(retry, policy, mid))).toEqual([
      100, 200, 400, 800, 1000, 1000, 1000,
    ]);
  });

  it('spreads the delay by ±jitter/2 and never exceeds the maximum', () => {
    expect(backoffDelayMs(1, policy, () => 0)).toBe(90);
    expect(backoffDelayMs(1, policy, () => 0.999999)).toBe(110);
    expect(backoffDelayMs(8, policy, () => 0.999999)).toBe(1000);
    expect(backoffDelayMs(8, policy, () => 0)).toBe(900);
  });

  it('is exact without jitter', () => {
    expect(backoffDelayMs(3, { ...policy, jitter: 0 }, Math.random)).toBe(400);
  });

  it("fills a component's defaults and refuses a jitter past 1 or a factor under 1", () => {
    const schema = backoffPolicySchema({ initialDelayMs: 5, maxDelayMs: 50, factor: 3, jitter: 0 });
    expect(schema.parse({ maxDelayMs: 60 })).toEqual({
      initialDelayMs: 5,
      maxDelayMs: 60,
      factor: 3,
      jitter: 0,
    });
    expect(schema.safeParse({ jitter: 1.5 }).success).toBe(false);
    expect(schema.safeParse({ factor: 0.5 }).success).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-12-05T00:00:00Z');
  it('reads seconds and HTTP dates, and nothing else', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(new Date(now + 30_000).toUTCString(), now)).toBe(30_000);
    expect(parseRetryAfter(new Date(now - 30_000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter(' ', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
