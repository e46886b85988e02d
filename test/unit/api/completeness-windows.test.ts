import { describe, expect, it } from 'vitest';
import { expectedReadings, windowGrid } from '../../../api/routes/completeness/windows.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const D1 = Date.UTC(2026, 10, 27);

describe('completeness windows', () => {
  it('aligns windows to the epoch as GROUP BY time does and cuts the first and last to the range', () => {
    const grid = windowGrid({ fromMs: D1 + 6 * HOUR, toMs: D1 + 2 * DAY + 12 * HOUR }, DAY);
    expect(grid.windows).toEqual([
      { startMs: D1 + 6 * HOUR, endMs: D1 + DAY },
      { startMs: D1 + DAY, endMs: D1 + 2 * DAY },
      { startMs: D1 + 2 * DAY, endMs: D1 + 2 * DAY + 12 * HOUR },
    ]);
    // InfluxDB labels a window with its aligned start, also the first one, which lies before `from`.
    expect([D1, D1 + DAY, D1 + 2 * DAY].map(grid.indexOf)).toEqual([0, 1, 2]);
    expect(grid.indexOf(D1 - DAY)).toBeUndefined();
    expect(grid.indexOf(D1 + 3 * DAY)).toBeUndefined();
  });

  it('adds no empty window when the range ends on a boundary', () => {
    expect(windowGrid({ fromMs: D1, toMs: D1 + 2 * DAY }, DAY).windows).toHaveLength(2);
  });

  it('makes the whole range one window without "every"', () => {
    const grid = windowGrid({ fromMs: D1 + 5, toMs: D1 + 3 * DAY }, undefined);
    expect(grid.windows).toEqual([{ startMs: D1 + 5, endMs: D1 + 3 * DAY }]);
    expect(grid.indexOf(0)).toBe(0);
  });

  it('expects the whole intervals of a window, rounding down', () => {
    expect(expectedReadings({ startMs: D1, endMs: D1 + DAY }, 60_000)).toBe(1440);
    expect(expectedReadings({ startMs: D1, endMs: D1 + 150_000 }, 60_000)).toBe(2);
    expect(expectedReadings({ startMs: D1, endMs: D1 + 59_999 }, 60_000)).toBe(0);
  });
});
