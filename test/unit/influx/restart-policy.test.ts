import { describe, expect, it } from 'vitest';
import { decideRestart, RestartPolicySchema, restartDelay } from '../../../influx/index.js';

const POLICY = RestartPolicySchema.parse({});

describe('restartDelay', () => {
  it('doubles from 0.5 s and stays at 10 s', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => restartDelay(attempt, POLICY));
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });

  it('stays finite at the cap however many attempts were made', () => {
    expect(restartDelay(10_000, POLICY)).toBe(10_000);
  });

  it('follows the policy it is given', () => {
    const policy = RestartPolicySchema.parse({ initialDelayMs: 100, maxDelayMs: 250 });
    expect([1, 2, 3].map((attempt) => restartDelay(attempt, policy))).toEqual([100, 200, 250]);
  });
});

describe('decideRestart', () => {
  it('schedules the first attempt after the initial delay, with the rest of the minute to come up', () => {
    expect(decideRestart({ since: 1000, attempts: 0 }, 1000, POLICY)).toEqual({
      kind: 'restart',
      attempt: 1,
      delayMs: 500,
      startTimeoutMs: 59_500,
    });
  });

  it('backs off after failed attempts and leaves the attempt only the time to the deadline', () => {
    expect(decideRestart({ since: 0, attempts: 3 }, 20_000, POLICY)).toEqual({
      kind: 'restart',
      attempt: 4,
      delayMs: 4000,
      startTimeoutMs: 36_000,
    });
  });

  it('gives up when the next attempt could not begin before the deadline', () => {
    expect(decideRestart({ since: 0, attempts: 8 }, 50_000, POLICY)).toEqual({
      kind: 'give-up',
      downForMs: 50_000,
    });
    expect(decideRestart({ since: 0, attempts: 2 }, 61_000, POLICY)).toEqual({
      kind: 'give-up',
      downForMs: 61_000,
    });
  });
});
