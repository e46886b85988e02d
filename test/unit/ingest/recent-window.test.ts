import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addRecent } from '../../../ingest/sequence/recent-window.js';

/** The definition: add, then drop the first member a fresh iteration meets. */
function addRecentNaive(set: Set<number>, value: number, limit: number): void {
  set.add(value);
  if (set.size <= limit) return;
  const oldest = set.values().next();
  if (!oldest.done) set.delete(oldest.value);
}

describe('addRecent', () => {
  it('keeps the same members in the same order as forgetting the first of a fresh iteration', () => {
    const op = fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 40 }));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(op, { maxLength: 300 }), (limit, ops) => {
        const fast = new Set<number>();
        const naive = new Set<number>();
        for (const [add, value] of ops) {
          if (add) {
            addRecent(fast, value, limit);
            addRecentNaive(naive, value, limit);
          } else {
            fast.delete(value);
            naive.delete(value);
          }
          expect([...fast]).toEqual([...naive]);
        }
      }),
      { numRuns: 500 },
    );
  });
});
