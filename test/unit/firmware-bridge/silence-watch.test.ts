import { describe, expect, it } from 'vitest';
import { SILENT_AFTER_INTERVALS, SilenceWatch } from '../../../firmware-bridge/sampling/silence-watch.js';

describe('SilenceWatch', () => {
  const sensors = [
    { id: 'fast', intervalMs: 1000 },
    { id: 'slow', intervalMs: 60_000 },
  ];

  it('reports a sensor once it missed its intervals, once per silence, and again after it spoke', () => {
    const watch = new SilenceWatch(sensors, 0);
    const limit = SILENT_AFTER_INTERVALS * 1000;
    expect(watch.check(limit)).toEqual([]);
    expect(watch.check(limit + 1)).toEqual([{ sensor: 'fast', silentMs: limit + 1, intervalMs: 1000 }]);
    expect(watch.check(limit + 500)).toEqual([]);
    watch.reading('fast', limit + 600);
    expect(watch.check(2 * limit)).toEqual([]);
    expect(watch.check(2 * limit + 601).map((s) => s.sensor)).toEqual(['fast']);
  });

  it('judges each sensor by its own interval, counting from the start', () => {
    const watch = new SilenceWatch(sensors, 1_000_000);
    for (let t = 1_000_000; t <= 1_000_000 + 5 * 60_000; t += 1000) watch.reading('fast', t);
    expect(watch.check(1_000_000 + 5 * 60_000)).toEqual([]);
    expect(watch.check(1_000_000 + 5 * 60_000 + 1).map((s) => s.sensor)).toEqual(['slow']);
    watch.reading('unknown', 0);
  });
});
