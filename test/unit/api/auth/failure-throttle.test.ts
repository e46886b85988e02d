import { describe, expect, it } from 'vitest';
import { FailureThrottle, type ThrottlePolicy } from '../../../../api/auth/failure-throttle.js';

const POLICY: ThrottlePolicy = {
  failures: 3,
  windowMs: 60_000,
  blockMs: 1000,
  maxBlockMs: 4000,
  maxAddresses: 2,
};

function failTimes(throttle: FailureThrottle, address: string, atMs: number, times: number): number {
  let block = 0;
  for (let i = 0; i < times; i++) block = throttle.fail(address, atMs);
  return block;
}

describe('FailureThrottle', () => {
  it('blocks an address at its Nth failure within the window, for blockMs', () => {
    const throttle = new FailureThrottle(POLICY);
    expect(failTimes(throttle, 'a', 0, 2)).toBe(0);
    expect(throttle.blockedFor('a', 0)).toBe(0);
    expect(throttle.fail('a', 10)).toBe(1000);
    expect(throttle.blockedFor('a', 10)).toBe(1000);
    expect(throttle.blockedFor('a', 1009)).toBe(1);
    expect(throttle.blockedFor('a', 1010)).toBe(0);
    expect(throttle.blockedFor('b', 10)).toBe(0);
  });

  it('starts counting afresh when the window has passed', () => {
    const throttle = new FailureThrottle(POLICY);
    failTimes(throttle, 'a', 0, 2);
    expect(throttle.fail('a', 60_000)).toBe(0);
    expect(failTimes(throttle, 'a', 60_001, 2)).toBe(1000);
  });

  it('doubles each further block up to maxBlockMs', () => {
    const throttle = new FailureThrottle(POLICY);
    // Each round fails as soon as the previous block ends.
    const blocks = [0, 1000, 3000, 7000].map((atMs) => failTimes(throttle, 'a', atMs, 3));
    expect(blocks).toEqual([1000, 2000, 4000, 4000]);
  });

  it('forgets the strikes of an address quiet for maxBlockMs after its block', () => {
    const throttle = new FailureThrottle(POLICY);
    failTimes(throttle, 'a', 0, 3);
    expect(failTimes(throttle, 'a', 1000 + 3999, 3)).toBe(2000);
    expect(failTimes(throttle, 'a', 4999 + 2000 + 4000, 3)).toBe(1000);
  });

  it('remembers at most maxAddresses, forgetting the one that failed least recently', () => {
    const throttle = new FailureThrottle(POLICY);
    failTimes(throttle, 'a', 0, 3);
    failTimes(throttle, 'b', 1, 1);
    failTimes(throttle, 'c', 2, 1);
    expect(throttle.blockedFor('a', 3)).toBe(0);
    expect(throttle.blockedCount(3)).toBe(0);
    failTimes(throttle, 'c', 3, 2);
    expect(throttle.blockedCount(3)).toBe(1);
  });
});
