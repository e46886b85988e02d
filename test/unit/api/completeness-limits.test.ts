import { describe, expect, it } from 'vitest';
import {
  assertRowsWithinLimit,
  assertScanWithinLimit,
} from '../../../api/routes/completeness/completeness-limits.js';

const ANNOUNCED = { gateway: 'pi-1', sensor: 'co2-1', quantity: 'co2', intervalMs: 1000 };
const UNANNOUNCED = { ...ANNOUNCED, sensor: 'x-1', intervalMs: undefined };

describe('completeness limits', () => {
  it('refuses more than 50000 rows, naming windows, sensor rows and the limit', () => {
    expect(() => assertRowsWithinLimit(10_000, 5)).not.toThrow();
    expect(() => assertRowsWithinLimit(10_000, 6)).toThrow(
      '10000 windows × 6 sensor rows = 60000 rows; the limit is 50000 per request',
    );
  });

  it('refuses a gap scan over the raw point limit of /v1/series, naming the readings', () => {
    const received = new Map([
      ['a', [600_000, 0]],
      ['b', [400_001]],
    ]);
    expect(() => assertScanWithinLimit([ANNOUNCED, UNANNOUNCED], received)).toThrow(
      'reading the 1000001 readings of the range; the limit is 1000000',
    );
    expect(() => assertScanWithinLimit([ANNOUNCED], new Map([['a', [1_000_000]]]))).not.toThrow();
  });

  it('never refuses when no sensor row has an interval, since nothing is scanned', () => {
    expect(() => assertScanWithinLimit([UNANNOUNCED], new Map([['b', [5_000_000]]]))).not.toThrow();
  });
});
