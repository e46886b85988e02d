import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numberText } from '../../../api/views/number-text.js';

describe('numberText', () => {
  it('writes what JSON.stringify writes for any double, small whole numbers and -0 included', () => {
    const numbers = fc.oneof(
      fc.double(),
      fc.integer({ min: -300, max: 300 }),
      fc.constantFrom(-0, 255, 256, 0.5),
    );
    fc.assert(
      fc.property(numbers, (value) => {
        expect(numberText(value)).toBe(JSON.stringify(value));
      }),
      { numRuns: 5_000 },
    );
  });

  it('writes null for null and for numbers JSON has no text for', () => {
    expect([null, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY].map(numberText)).toEqual([
      'null',
      'null',
      'null',
      'null',
    ]);
  });
});
