import { describe, expect, it } from 'vitest';
import { RateWindow } from '../../../broker/operations/rate-window.js';

describe('RateWindow', () => {
  it('is 0 before any sample and at the sample itself', () => {
    const window = new RateWindow(10_000);
    expect(window.perSecond(1000, 50)).toBe(0);
    window.record(1000, 50);
    expect(window.perSecond(1000, 50)).toBe(0);
  });

  it('counts from the oldest sample to the value now', () => {
    const window = new RateWindow(10_000);
    window.record(0, 0);
    window.record(1000, 100);
    expect(window.perSecond(2000, 300)).toBe(150);
  });

  it('forgets samples older than the window, keeping one at its start', () => {
    const window = new RateWindow(10_000);
    for (let second = 0; second <= 20; second++)
      window.record(second * 1000, second < 10 ? 0 : (second - 10) * 50);
    // Samples from t=10 s on are kept: 500 more events over the 10 s to t=20 s.
    expect(window.perSecond(20_000, 500)).toBe(50);
  });
});
