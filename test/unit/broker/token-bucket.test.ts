import { describe, expect, it } from 'vitest';
import { KeyedTokenBuckets, TokenBucket } from '../../../broker/limits/token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst at once, then refills at the rate', () => {
    const bucket = new TokenBucket({ perSecond: 2, burst: 3 }, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(bucket.take(499)).toBe(false);
    expect(bucket.take(500)).toBe(true);
    expect(bucket.take(500)).toBe(false);
  });

  it('never holds more than the burst, however long it was idle', () => {
    const bucket = new TokenBucket({ perSecond: 10, burst: 2 }, 0);
    expect(bucket.isFull(60_000)).toBe(true);
    expect([bucket.take(60_000), bucket.take(60_000), bucket.take(60_000)]).toEqual([true, true, false]);
  });

  it('ignores a clock that steps back', () => {
    const bucket = new TokenBucket({ perSecond: 1, burst: 1 }, 1000);
    expect(bucket.take(1000)).toBe(true);
    expect(bucket.take(0)).toBe(false);
  });
});

describe('KeyedTokenBuckets', () => {
  it('keeps one bucket per key', () => {
    const buckets = new KeyedTokenBuckets<string>({ perSecond: 1, burst: 1 });
    expect(buckets.take('10.0.0.1', 0)).toBe(true);
    expect(buckets.take('10.0.0.1', 0)).toBe(false);
    expect(buckets.take('10.0.0.2', 0)).toBe(true);
  });

  it('forgets full buckets once it has many, and keeps the ones still draining', () => {
    const buckets = new KeyedTokenBuckets<number>({ perSecond: 1, burst: 1 }, 3);
    for (const key of [1, 2, 3]) buckets.take(key, 0);
    expect(buckets.size).toBe(3);
    buckets.take(3, 1000);
    buckets.take(4, 1500);
    // 1 and 2 refilled and were forgotten; 3 spent its token at 1000 and is still draining.
    expect(buckets.size).toBe(2);
    expect(buckets.take(3, 1500)).toBe(false);
  });
});
