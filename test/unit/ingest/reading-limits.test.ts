import { describe, expect, it } from 'vitest';
import { ReadingLimiter, ReadingLimitsSchema } from '../../../ingest/pipeline/reading-limits.js';
import type { Reading } from '../../../protocol/index.js';

const NOW = Date.UTC(2026, 11, 4, 12);
const DAY = 86_400_000;
const gw = { station: 'xuefeng', gateway: 'line-gw-1' };
const reading = (time: number, sensor = 'ice-1'): Reading => ({
  sensor,
  quantity: 'ice-thickness',
  unit: 'mm',
  value: 1,
  time,
  qc: 2,
});

describe('ReadingLimiter', () => {
  it('takes readings from the accepted window and refuses a batch with one outside it, naming it', () => {
    const limiter = new ReadingLimiter(ReadingLimitsSchema.parse({ maxAgeDays: 30 }));
    expect(limiter.check(gw, [reading(NOW - 29 * DAY), reading(NOW + 3_600_000)], NOW)).toBeUndefined();
    expect(limiter.check(gw, [reading(NOW), reading(NOW - 31 * DAY)], NOW)).toEqual({
      code: 'TIME_OUT_OF_RANGE',
      reason: expect.stringMatching(
        /^readings\.1\.time: \d{4}-.*outside the accepted window \(30 days back, 24 h ahead/,
      ),
    });
    expect(limiter.check(gw, [reading(NOW + 2 * DAY)], NOW)).toMatchObject({ code: 'TIME_OUT_OF_RANGE' });
  });

  it('refuses a batch that would take a gateway past its series, and keeps what it had', () => {
    const limiter = new ReadingLimiter(ReadingLimitsSchema.parse({ maxSeriesPerGateway: 3 }));
    expect(limiter.check(gw, [reading(NOW, 'a'), reading(NOW, 'b')], NOW)).toBeUndefined();
    expect(limiter.check(gw, [reading(NOW, 'c'), reading(NOW, 'd')], NOW)).toEqual({
      code: 'SERIES_LIMIT',
      reason: 'the gateway would have 4 series (sensor, quantity, unit); the limit is 3',
    });
    expect(limiter.check(gw, [reading(NOW, 'a'), reading(NOW, 'c')], NOW)).toBeUndefined();
    expect(
      limiter.check({ ...gw, gateway: 'other' }, [reading(NOW, 'x'), reading(NOW, 'y')], NOW),
    ).toBeUndefined();
  });
});
