import type { TimeRange } from '../../params/time-range.js';

/** One window of the report, [startMs, endMs), already cut to the requested range. */
export interface Window {
  startMs: number;
  endMs: number;
}

export interface WindowGrid {
  windows: readonly Window[];
  /** The window a time InfluxDB reports for a `GROUP BY time(every)` row belongs to. */
  indexOf(timeMs: number): number | undefined;
}

/**
 * The windows of a range. With `everyMs` they are aligned to the epoch as InfluxDB's
 * `GROUP BY time(every)` aligns them (so `1d` is a UTC day), and the first and last are cut to the
 * range: a request from 06:00 with every=1d has a first window of 18 hours. Without, the whole
 * range is one window.
 */
export function windowGrid(range: TimeRange, everyMs: number | undefined): WindowGrid {
  if (everyMs === undefined)
    return { windows: [{ startMs: range.fromMs, endMs: range.toMs }], indexOf: () => 0 };
  const first = Math.floor(range.fromMs / everyMs);
  const last = Math.floor((range.toMs - 1) / everyMs);
  const windows: Window[] = [];
  for (let slot = first; slot <= last; slot++) {
    windows.push({
      startMs: Math.max(slot * everyMs, range.fromMs),
      endMs: Math.min((slot + 1) * everyMs, range.toMs),
    });
  }
  return {
    windows,
    indexOf(timeMs) {
      const index = Math.floor(timeMs / everyMs) - first;
      return index >= 0 && index < windows.length ? index : undefined;
    },
  };
}

/**
 * Readings a sensor sampling every `intervalMs` owes in a window: the whole intervals in it. Rounding
 * down never claims a reading missing that the sampling phase may have put outside the window.
 */
export function expectedReadings(window: Window, intervalMs: number): number {
  return Math.floor((window.endMs - window.startMs) / intervalMs);
}
