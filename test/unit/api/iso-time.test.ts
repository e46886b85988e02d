import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTime } from '../../../api/views/iso-time.js';

const LIMIT = 8.64e15;

describe('isoTime', () => {
  it('gives exactly what Date#toISOString gives, over the whole range of Date', () => {
    fc.assert(
      fc.property(fc.integer({ min: -LIMIT, max: LIMIT }), (ms) => {
        expect(isoTime(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 5000 },
    );
  });

  it('gives the same for times in order within a day and across midnights and years', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -20_000_000_000_000, max: 20_000_000_000_000 }),
        fc.array(fc.integer({ min: 0, max: 3 * 86_400_000 }), { maxLength: 50 }),
        (start, steps) => {
          let ms = start;
          for (const step of steps) {
            ms += step;
            expect(isoTime(ms)).toBe(new Date(ms).toISOString());
          }
        },
      ),
    );
  });

  it('handles the edges: the epoch, -0, extended years, fractions, and throws out of range as Date does', () => {
    for (const ms of [
      0,
      -0,
      -1,
      1,
      86_399_999,
      86_400_000,
      -86_400_000,
      -86_400_001,
      LIMIT,
      -LIMIT,
      1.5,
      -1.5,
    ]) {
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    }
    for (const ms of [LIMIT + 1, -LIMIT - 1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => isoTime(ms)).toThrow(RangeError);
    }
  });
});
