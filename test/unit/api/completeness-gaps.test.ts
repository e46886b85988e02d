import { describe, expect, it } from 'vitest';
import { WindowGaps } from '../../../api/routes/completeness/window-gaps.js';
import type { Window } from '../../../api/routes/completeness/windows.js';

const MIN = 60_000;
const m = (minutes: number) => minutes * MIN;

function gapsOf(windows: readonly Window[], times: readonly number[], limit?: number): WindowGaps {
  const gaps = new WindowGaps(windows, MIN, limit);
  for (const time of times) gaps.add(time);
  gaps.finish();
  return gaps;
}

const minutes = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => m(from + i));
const ONE_HOUR = [{ startMs: 0, endMs: m(60) }];
const TWO_HALVES = [
  { startMs: 0, endMs: m(30) },
  { startMs: m(30), endMs: m(60) },
];

describe('gaps per window', () => {
  it('finds none in a regular series that spans the window', () => {
    expect(gapsOf(ONE_HOUR, minutes(0, 60)).gaps).toEqual([[]]);
  });

  it('finds gaps between readings beyond three intervals, not at three', () => {
    const times = [...minutes(0, 10), ...minutes(12, 20), ...minutes(24, 60)];
    expect(gapsOf(ONE_HOUR, times).gaps).toEqual([[[m(19), m(24)]]]);
  });

  it('has a span at the start and end when the first and last readings lie far from the edges', () => {
    expect(gapsOf(ONE_HOUR, minutes(5, 55)).gaps).toEqual([
      [
        [0, m(5)],
        [m(54), m(60)],
      ],
    ]);
    expect(gapsOf(ONE_HOUR, minutes(3, 58)).gaps).toEqual([[]]);
  });

  it('lists a gap across a boundary in both windows, cut to each, however short each part', () => {
    const times = [...minutes(0, 29), ...minutes(32, 60)];
    expect(gapsOf(TWO_HALVES, times).gaps).toEqual([[[m(28), m(30)]], [[m(30), m(32)]]]);
  });

  it('lists a whole window for a sensor silent through it', () => {
    const windows = [...TWO_HALVES, { startMs: m(60), endMs: m(90) }];
    const gaps = gapsOf(windows, [...minutes(0, 30), ...minutes(60, 90)]);
    expect(gaps.gaps).toEqual([[[m(29), m(30)]], [[m(30), m(60)]], []]);
  });

  it('lists every window for a sensor without readings', () => {
    expect(gapsOf(TWO_HALVES, []).gaps).toEqual([[[0, m(30)]], [[m(30), m(60)]]]);
  });

  it('stops listing at the limit and flags the windows whose gaps went unlisted', () => {
    const times = [m(5), m(10), m(15), m(20), m(29), m(35), m(40), m(45), m(50), m(59)];
    const gaps = gapsOf(TWO_HALVES, times, 3);
    expect(gaps.gaps).toEqual([
      [
        [0, m(5)],
        [m(5), m(10)],
        [m(10), m(15)],
      ],
      [],
    ]);
    expect(gaps.truncated).toEqual([true, true]);
  });
});
