import type { LockoutPolicy } from './limits-config.js';

/** Backstop for the map: only existing accounts get a streak, so it is as large as the credentials file at most. */
const MAX_TRACKED = 10_000;

/** The wrong passwords of one account since its last successful login. */
interface Streak {
  failures: number;
  /** Password checks admitted and not settled yet. */
  pending: number;
  lastFailureAt: number;
  /** The length of the last lock-out; 0 before the first. */
  lockMs: number;
  lockedUntil: number;
}

/** Admission to one password check, to be settled once with its outcome. */
export interface Attempt {
  readonly account: string;
  readonly streak: Streak | undefined;
}

export type AttemptOutcome = 'accepted' | 'wrong password' | 'other';

/** A lock-out that a wrong password has just started. */
export interface Lockout {
  account: string;
  failures: number;
  lockMs: number;
}

/**
 * Consecutive wrong passwords by account. After `afterFailures` of them the account is locked for
 * `firstLockMs`; each wrong password after that locks it again for twice as long, up to
 * `maxLockMs`. A successful login starts afresh, and so does an account without a wrong password
 * for `maxLockMs` after its lock-out. Times are milliseconds from any monotonic clock.
 *
 * Concurrent checks would slip past a lock that the first of them is about to set, so once an
 * account has a wrong password only as many checks run at once as it has failures to go (one,
 * once locked before). An account without failures is not held back: its own connections
 * reconnecting together must not lock each other out.
 */
export class AccountLockouts {
  readonly #policy: LockoutPolicy;
  readonly #maxTracked: number;
  /** In order of the last wrong password, so the first is the one to evict. */
  readonly #streaks = new Map<string, Streak>();

  constructor(policy: LockoutPolicy, maxTracked = MAX_TRACKED) {
    this.#policy = policy;
    this.#maxTracked = maxTracked;
  }

  get size(): number {
    return this.#streaks.size;
  }

  /** An attempt to check the password, or undefined while the account is locked out. */
  admit(account: string, now: number): Attempt | undefined {
    const streak = this.#current(account, now);
    if (streak === undefined) return { account, streak };
    if (now < streak.lockedUntil) return undefined;
    if (streak.pending >= Math.max(1, this.#policy.afterFailures - streak.failures)) return undefined;
    streak.pending += 1;
    return { account, streak };
  }

  /** Records what the check found; returns the lock-out a wrong password started, if any. */
  settle(attempt: Attempt, outcome: AttemptOutcome, now: number): Lockout | undefined {
    if (attempt.streak !== undefined) attempt.streak.pending -= 1;
    if (outcome === 'accepted') this.#streaks.delete(attempt.account);
    if (outcome !== 'wrong password') return undefined;
    return this.#failed(attempt.account, now);
  }

  #failed(account: string, now: number): Lockout | undefined {
    const streak = this.#current(account, now) ?? this.#newStreak(now);
    this.#streaks.delete(account);
    this.#streaks.set(account, streak);
    streak.failures += 1;
    streak.lastFailureAt = now;
    if (streak.failures < this.#policy.afterFailures) return undefined;
    // A check admitted before the lock began may fail during it: that doubles the lock, not a new one.
    const alreadyLocked = now < streak.lockedUntil;
    const { firstLockMs, maxLockMs } = this.#policy;
    streak.lockMs = streak.lockMs === 0 ? firstLockMs : Math.min(streak.lockMs * 2, maxLockMs);
    streak.lockedUntil = now + streak.lockMs;
    return alreadyLocked ? undefined : { account, failures: streak.failures, lockMs: streak.lockMs };
  }

  /** The account's streak unless it has been idle long enough to be forgotten. */
  #current(account: string, now: number): Streak | undefined {
    const streak = this.#streaks.get(account);
    if (streak === undefined || !this.#expired(streak, now)) return streak;
    this.#streaks.delete(account);
    return undefined;
  }

  #expired(streak: Streak, now: number): boolean {
    const idleSince = Math.max(streak.lastFailureAt, streak.lockedUntil);
    return streak.pending === 0 && now >= idleSince + this.#policy.maxLockMs;
  }

  #newStreak(now: number): Streak {
    this.#makeRoom(now);
    return { failures: 0, pending: 0, lastFailureAt: now, lockMs: 0, lockedUntil: 0 };
  }

  /** Forgets idle accounts once the map is full, and then, if none was idle, the longest quiet one. */
  #makeRoom(now: number): void {
    if (this.#streaks.size < this.#maxTracked) return;
    for (const [account, streak] of this.#streaks) {
      if (this.#expired(streak, now)) this.#streaks.delete(account);
    }
    if (this.#streaks.size < this.#maxTracked) return;
    const [oldest] = this.#streaks.keys();
    if (oldest !== undefined) this.#streaks.delete(oldest);
  }
}
