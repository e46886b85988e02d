import { describe, expect, it } from 'vitest';
import { tenths } from '../../../cli/history-progress.js';

describe('progress in tenths', () => {
  it('reports the tenth reached, 10 at the end or when there is nothing to send', () => {
    expect([0, 9, 10, 55, 99, 100, 120].map((done) => tenths(done, 100))).toEqual([0, 0, 1, 5, 9, 10, 10]);
    expect(tenths(0, 0)).toBe(10);
  });
});
