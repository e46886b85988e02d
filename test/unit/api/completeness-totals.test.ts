import { describe, expect, it } from 'vitest';
import { totalChange, windowChanges } from '../../../api/routes/completeness/running-totals.js';

const totals = (messages: number, duplicates: number, late: number) => ({ messages, duplicates, late });

describe('change of running totals', () => {
  it('is the difference, or the new value once the total has fallen (counted from 0 again)', () => {
    expect(totalChange(100, 150)).toBe(50);
    expect(totalChange(100, 100)).toBe(0);
    expect(totalChange(100, 20)).toBe(20);
  });

  it('gives each window the change since the last totals before it, null where none were written', () => {
    const changes = windowChanges(totals(1000, 10, 4), [
      totals(1100, 12, 5),
      undefined,
      totals(1180, 12, 5),
      totals(20, 1, 0),
    ]);
    expect(changes).toEqual([totals(100, 2, 1), null, totals(80, 0, 0), totals(20, 1, 0)]);
  });

  it('counts from 0 when the gateway has no totals before the range', () => {
    expect(windowChanges(undefined, [totals(7, 1, 0), totals(9, 1, 2)])).toEqual([
      totals(7, 1, 0),
      totals(2, 0, 2),
    ]);
  });
});
