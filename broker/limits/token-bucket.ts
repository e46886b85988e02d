import type { RateLimit } from './limits-config.js';

/**
 * A token bucket: it holds at most `burst` tokens, gains `perSecond` of them each second, and
 * each allowed event spends one. Times are milliseconds from any monotonic clock.
 */
export class TokenBucket {
  readonly #rate: RateLimit;
  #tokens: number;
  #updatedAt: number;

  constructor(rate: RateLimit, now: number) {
    this.#rate = rate;
    this.#tokens = rate.burst;
    this.#updatedAt = now;
  }

  /** Spends a token if there is one; false means the event is over the rate. */
  take(now: number): boolean {
    this.#refill(now);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** A full bucket behaves exactly like a new one, so a keyed set may forget it. */
  isFull(now: number): boolean {
    this.#refill(now);
    return this.#tokens >= this.#rate.burst;
  }

  #refill(now: number): void {
    const elapsed = Math.max(0, now - this.#updatedAt);
    this.#tokens = Math.min(this.#rate.burst, this.#tokens + (elapsed / 1000) * this.#rate.perSecond);
    this.#updatedAt = now;
  }
}

/** Buckets by key (e.g. source address), forgetting full ones so the map stays as small as the traffic. */
export class KeyedTokenBuckets<K> {
  readonly #rate: RateLimit;
  readonly #sweepAbove: number;
  readonly #buckets = new Map<K, TokenBucket>();

  constructor(rate: RateLimit, sweepAbove = 1024) {
    this.#rate = rate;
    this.#sweepAbove = sweepAbove;
  }

  get size(): number {
    return this.#buckets.size;
  }

  take(key: K, now: number): boolean {
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      if (this.#buckets.size >= this.#sweepAbove) this.#sweep(now);
      bucket = new TokenBucket(this.#rate, now);
      this.#buckets.set(key, bucket);
    }
    return bucket.take(now);
  }

  #sweep(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.isFull(now)) this.#buckets.delete(key);
    }
  }
}
