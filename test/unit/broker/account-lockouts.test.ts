import { describe, expect, it } from 'vitest';
import { AccountLockouts, type AttemptOutcome } from '../../../broker/limits/account-lockouts.js';

const POLICY = { afterFailures: 3, firstLockMs: 1000, maxLockMs: 5000 };

/** One password check of the account at `now`: 'locked' when refused without one. */
function check(lockouts: AccountLockouts, account: string, outcome: AttemptOutcome, now: number) {
  const attempt = lockouts.admit(account, now);
  if (attempt === undefined) return 'locked';
  return lockouts.settle(attempt, outcome, now) ?? 'checked';
}

function fail(lockouts: AccountLockouts, account: string, times: number, now: number): void {
  for (let i = 0; i < times; i++) check(lockouts, account, 'wrong password', now);
}

describe('AccountLockouts', () => {
  it('locks an account after its Nth wrong password in a row, whatever is tried until the lock ends', () => {
    const lockouts = new AccountLockouts(POLICY);
    expect(check(lockouts, 'gw', 'wrong password', 0)).toBe('checked');
    expect(check(lockouts, 'gw', 'wrong password', 0)).toBe('checked');
    expect(check(lockouts, 'gw', 'wrong password', 10)).toEqual({ account: 'gw', failures: 3, lockMs: 1000 });
    expect(check(lockouts, 'gw', 'accepted', 500)).toBe('locked');
    expect(check(lockouts, 'gw', 'accepted', 1009)).toBe('locked');
    expect(check(lockouts, 'other-gw', 'accepted', 500)).toBe('checked');
    expect(check(lockouts, 'gw', 'accepted', 1010)).toBe('checked');
  });

  it('doubles the lock with each wrong password after one, up to the longest', () => {
    const lockouts = new AccountLockouts(POLICY);
    fail(lockouts, 'gw', 2, 0);
    let now = 0;
    const locks: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      const lock = check(lockouts, 'gw', 'wrong password', now);
      locks.push(lock);
      if (typeof lock !== 'object') break;
      expect(check(lockouts, 'gw', 'wrong password', now + lock.lockMs - 1)).toBe('locked');
      now += lock.lockMs;
    }
    expect(locks).toMatchObject([
      { failures: 3, lockMs: 1000 },
      { failures: 4, lockMs: 2000 },
      { failures: 5, lockMs: 4000 },
      { failures: 6, lockMs: 5000 },
      { failures: 7, lockMs: 5000 },
    ]);
  });

  it('starts afresh after a successful login', () => {
    const lockouts = new AccountLockouts(POLICY);
    fail(lockouts, 'gw', 2, 0);
    expect(check(lockouts, 'gw', 'accepted', 0)).toBe('checked');
    expect(lockouts.size).toBe(0);
    fail(lockouts, 'gw', 2, 0);
    expect(check(lockouts, 'gw', 'accepted', 0)).toBe('checked');
  });

  it('counts neither refusals for other reasons nor names that never failed a password', () => {
    const lockouts = new AccountLockouts(POLICY);
    for (let i = 0; i < 10; i++) expect(check(lockouts, `made-up-${i}`, 'other', 0)).toBe('checked');
    fail(lockouts, 'gw', 2, 0);
    expect(check(lockouts, 'gw', 'other', 0)).toBe('checked');
    expect(lockouts.size).toBe(1);
    // The two wrong passwords still count: 'other' did not reset them.
    expect(check(lockouts, 'gw', 'wrong password', 0)).toMatchObject({ failures: 3 });
  });

  it('forgets an account once it has been quiet for the longest lock after its lock ends', () => {
    const lockouts = new AccountLockouts(POLICY);
    fail(lockouts, 'gw', 3, 0);
    expect(check(lockouts, 'gw', 'wrong password', 1000)).toMatchObject({ failures: 4, lockMs: 2000 });
    // Locked until 3000, so remembered until 8000.
    expect(check(lockouts, 'gw', 'wrong password', 7999)).toMatchObject({ failures: 5, lockMs: 4000 });
    // Locked until 11999, so remembered until 16999: the next wrong password is the first again.
    expect(check(lockouts, 'gw', 'wrong password', 16_999)).toBe('checked');
    expect(lockouts.admit('gw', 100_000)).toEqual({ account: 'gw', streak: undefined });
    expect(lockouts.size).toBe(0);
  });

  it('lets only as many checks run at once as an account has failures to go, one once it was locked', () => {
    const lockouts = new AccountLockouts(POLICY);
    // No failures yet: an account's own connections may all reconnect at once.
    const burst = Array.from({ length: 10 }, () => lockouts.admit('gw', 0));
    expect(burst.every((attempt) => attempt !== undefined)).toBe(true);
    for (const attempt of burst) if (attempt !== undefined) lockouts.settle(attempt, 'accepted', 0);

    fail(lockouts, 'gw', 1, 0);
    const first = lockouts.admit('gw', 0);
    const second = lockouts.admit('gw', 0);
    expect([first, second, lockouts.admit('gw', 0)].map((a) => a !== undefined)).toEqual([true, true, false]);
    if (first === undefined || second === undefined) throw new Error('admitted above');
    lockouts.settle(first, 'wrong password', 0);
    lockouts.settle(second, 'wrong password', 0);

    const afterLock = lockouts.admit('gw', 1000);
    expect(afterLock).toBeDefined();
    expect(lockouts.admit('gw', 1000)).toBeUndefined();
    if (afterLock === undefined) throw new Error('admitted above');
    lockouts.settle(afterLock, 'other', 1000);
    expect(lockouts.admit('gw', 1000)).toBeDefined();
  });

  it('lengthens the lock, without starting another, for a check admitted before it that fails during it', () => {
    const lockouts = new AccountLockouts(POLICY);
    const burst = Array.from({ length: 4 }, () => lockouts.admit('gw', 0));
    const results = burst.map((attempt) =>
      attempt === undefined ? 'locked' : lockouts.settle(attempt, 'wrong password', 100),
    );
    expect(results).toEqual([undefined, undefined, { account: 'gw', failures: 3, lockMs: 1000 }, undefined]);
    expect(check(lockouts, 'gw', 'accepted', 100 + 1999)).toBe('locked');
    expect(check(lockouts, 'gw', 'accepted', 100 + 2000)).toBe('checked');
  });

  it('holds at most its cap of accounts: idle ones go first, then the longest quiet', () => {
    const lockouts = new AccountLockouts(POLICY, 3);
    fail(lockouts, 'a', 1, 0);
    fail(lockouts, 'b', 1, 1000);
    fail(lockouts, 'c', 2, 5500);
    fail(lockouts, 'd', 1, 5500);
    // a was idle past the longest lock and was forgotten; b is quiet but not idle long enough.
    expect(lockouts.size).toBe(3);
    fail(lockouts, 'b', 1, 5600);
    fail(lockouts, 'e', 1, 5700);
    expect(lockouts.size).toBe(3);
    // c failed least recently and made room, losing its two failures; b keeps its count.
    expect(check(lockouts, 'b', 'wrong password', 5800)).toMatchObject({ failures: 3 });
    expect(check(lockouts, 'c', 'wrong password', 5900)).toBe('checked');
  });
});
