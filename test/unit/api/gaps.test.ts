import { describe, expect, it } from 'vitest';
import { type Gap, GapTracker, isGap } from '../../../api/routes/series/gaps.js';

function findGaps(times: readonly number[], intervalMs: number): Gap[] {
  const tracker = new GapTracker(intervalMs);
  for (const time of times) tracker.add(time);
  return tracker.gaps;
}

describe('gaps', () => {
  it('is a gap only beyond three intervals', () => {
    expect(isGap(0, 180_000, 60_000)).toBe(false);
    expect(isGap(0, 180_001, 60_000)).toBe(true);
  });

  it('finds every gap between consecutive points', () => {
    const times = [0, 60_000, 120_000, 600_000, 660_000, 2_000_000];
    expect(findGaps(times, 60_000)).toEqual([
      [120_000, 600_000],
      [660_000, 2_000_000],
    ]);
  });

  it('finds none in regular, jittered or tiny series', () => {
    expect(findGaps([0, 61_000, 119_000, 200_000], 60_000)).toEqual([]);
    expect(findGaps([5], 60_000)).toEqual([]);
    expect(findGaps([], 60_000)).toEqual([]);
  });
});
