import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../firmware-bridge/backoff.js';
import { Wakeup } from '../../../firmware-bridge/wakeup.js';

describe('backoffDelay', () => {
  const options = { minMs: 1000, maxMs: 30_000, factor: 2 };

  it('doubles from the minimum up to the cap, with half of it jittered', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((attempt) => backoffDelay(attempt, options, () => 1))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
    expect(backoffDelay(2, options, () => 0)).toBe(2000);
    expect(backoffDelay(1e6, options, () => 0.5)).toBe(22500);
  });
});

describe('Wakeup', () => {
  it('wakes a waiter, and remembers a notify that came before the wait', async () => {
    const wakeup = new Wakeup();
    const waiting = wakeup.wait();
    wakeup.notify();
    await waiting;
    wakeup.notify();
    await wakeup.wait();
    let woken = false;
    void wakeup.wait().then(() => {
      woken = true;
    });
    await Promise.resolve();
    expect(woken).toBe(false);
  });
});
