import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteText } from '../../../api/views/byte-text.js';

const LIMIT = 8.64e15;

describe('ByteText', () => {
  it('writes isoTime as toISOString does, for every time Date takes, in runs that share days', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -LIMIT, max: LIMIT }), fc.integer({ min: -1e5, max: 1e5 })), {
          maxLength: 20,
        }),
        (times) => {
          const out = new ByteText(16);
          for (const time of times) out.isoTime(time);
          expect(out.take().toString('latin1')).toBe(
            times.map((time) => new Date(time).toISOString()).join(''),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('copies a range of a text', () => {
    const out = new ByteText(4);
    out.asciiRange('[1735689600000,812.4,1]', 15, 20);
    expect(out.take().toString()).toBe('812.4');
  });
});
