import { describe, expect, it } from 'vitest';
import { Wakeup } from '../../../firmware-bridge/wakeup.js';

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
