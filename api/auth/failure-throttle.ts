/** How many failed attempts an address may make, and how long it waits once it has made them. */
export interface ThrottlePolicy {
  /** Failures within `windowMs` that start a block. */
  failures: number;
  windowMs: number;
  /** The first block; each further block doubles it, up to `maxBlockMs`. */
  blockMs: number;
  maxBlockMs: number;
  /** Addresses remembered at most; the least recently failing are forgotten first. */
  maxAddresses: number;
}

export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = {
  failures: 10,
  windowMs: 60_000,
  blockMs: 60_000,
  maxBlockMs: 60 * 60_000,
  maxAddresses: 10_000,
};

interface Entry {
  windowStart: number;
  count: number;
  /** Blocks so far; the next lasts blockMs × 2^strikes. Forgotten after maxBlockMs without failures. */
  strikes: number;
  blockedUntil: number;
  lastFailure: number;
}

/**
 * Counts failed key checks per client address and blocks an address that fails too often, so keys
 * cannot be guessed at speed. Pure arithmetic over the times it is given: no timers.
 */
export class FailureThrottle {
  readonly #policy: ThrottlePolicy;
  readonly #entries = new Map<string, Entry>();

  constructor(policy: ThrottlePolicy = DEFAULT_THROTTLE_POLICY) {
    this.#policy = policy;
  }

  /** Milliseconds the address must still wait; 0 when it may try. */
  blockedFor(address: string, nowMs: number): number {
    const entry = this.#entries.get(address);
    return entry === undefined ? 0 : Math.max(0, entry.blockedUntil - nowMs);
  }

  /** Records a failure; answers the length of the block it starts, or 0. */
  fail(address: string, nowMs: number): number {
    const { failures, windowMs, blockMs, maxBlockMs } = this.#policy;
    const entry = this.#entryOf(address, nowMs);
    if (nowMs - entry.windowStart >= windowMs) {
      entry.windowStart = nowMs;
      entry.count = 0;
    }
    entry.count += 1;
    entry.lastFailure = nowMs;
    if (entry.count < failures) return 0;
    const block = Math.min(blockMs * 2 ** entry.strikes, maxBlockMs);
    entry.strikes += 1;
    entry.blockedUntil = nowMs + block;
    entry.windowStart = nowMs;
    entry.count = 0;
    return block;
  }

  /** Addresses blocked at this time. */
  blockedCount(nowMs: number): number {
    let count = 0;
    for (const entry of this.#entries.values()) if (entry.blockedUntil > nowMs) count += 1;
    return count;
  }

  #entryOf(address: string, nowMs: number): Entry {
    const known = this.#entries.get(address);
    this.#entries.delete(address);
    const quiet =
      known !== undefined &&
      nowMs - Math.max(known.lastFailure, known.blockedUntil) >= this.#policy.maxBlockMs;
    const entry =
      known === undefined || quiet
        ? { windowStart: nowMs, count: 0, strikes: 0, blockedUntil: 0, lastFailure: nowMs }
        : known;
    // Re-inserted last: the map's order is then the order of last failure, oldest first.
    this.#entries.set(address, entry);
    if (this.#entries.size > this.#policy.maxAddresses) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    return entry;
  }
}
