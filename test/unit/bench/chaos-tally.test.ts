import { describe, expect, it } from 'vitest';
import { tally } from '../../../bench/chaos/tally.js';

describe('chaos tally', () => {
  it('finds nothing wrong when every produced key is stored once', () => {
    expect(tally(['0', '1', '2'], ['2', '0', '1'])).toEqual({
      produced: 3,
      stored: 3,
      lost: 0,
      duplicated: 0,
      neverProduced: 0,
    });
  });

  it('counts a missing key as lost and a second row or an unknown key as duplicated', () => {
    expect(tally(['0', '1', '2'], ['0', '0', '2', '9'])).toEqual({
      produced: 3,
      stored: 4,
      lost: 1,
      duplicated: 2,
      neverProduced: 1,
    });
  });

  it('counts a key produced twice and stored once as one lost: InfluxDB kept one of the two', () => {
    expect(tally(['s@1', 's@1', 's@2'], ['s@1', 's@2'])).toMatchObject({
      produced: 3,
      lost: 1,
      duplicated: 0,
    });
  });
});
