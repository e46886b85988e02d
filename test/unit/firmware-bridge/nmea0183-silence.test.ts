import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../firmware-bridge/clock.js';
import { SilenceWatch } from '../../../firmware-bridge/drivers/nmea0183/silence-watch.js';

describe('SilenceWatch', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function watch(listening = () => true) {
    const silent: [string, number][] = [];
    const w = new SilenceWatch({
      intervals: new Map([
        ['wind', 1000],
        ['gps', 5000],
      ]),
      clock: systemClock,
      listening,
      onSilent: (sensor, ms) => silent.push([sensor, ms]),
    });
    return { w, silent };
  }

  it('reports a sensor after three missed intervals, once per spell', () => {
    const { w, silent } = watch();
    w.start();
    vi.advanceTimersByTime(2999);
    w.heard('wind');
    vi.advanceTimersByTime(2000);
    expect(silent).toEqual([]);
    // Checked once a second (the shortest interval): heard at 2999, silent from the check at 6000.
    vi.advanceTimersByTime(1001);
    expect(silent).toEqual([['wind', 3001]]);
    vi.advanceTimersByTime(3000);
    expect(silent).toEqual([
      ['wind', 3001],
      ['wind', 3000],
    ]);
    vi.advanceTimersByTime(9000);
    expect(silent.filter(([sensor]) => sensor === 'gps')).toEqual([['gps', 15000]]);
    w.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('says nothing while the port is closed, and starts a fresh spell when it opens', () => {
    let open = false;
    const { w, silent } = watch(() => open);
    w.start();
    vi.advanceTimersByTime(20_000);
    expect(silent).toEqual([]);
    open = true;
    w.restart();
    vi.advanceTimersByTime(2000);
    expect(silent).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(silent).toEqual([['wind', 3000]]);
    w.stop();
  });
});
