import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SensorConfig } from '../../../firmware-bridge/config/schema.js';
import { Batcher } from '../../../firmware-bridge/sampling/batcher.js';
import { calibrate, rangeFlag, toReading } from '../../../firmware-bridge/sampling/to-reading.js';

const SENSOR: SensorConfig = {
  id: 'spring-discharge-1',
  quantity: 'discharge',
  unit: 'L/s',
  intervalMs: 60000,
  calibration: { scale: 1000, offset: -2 },
  range: { min: 0, max: 5000 },
  driver: { type: 'serial-line', port: 'hydro', channel: 'Q' },
};

describe('calibration and range QC', () => {
  it('applies scale then offset', () => {
    expect(calibrate(0.125, { scale: 1000, offset: -2 })).toBe(123);
    expect(calibrate(7.5, undefined)).toBe(7.5);
  });

  it('flags pass inside the range (bounds included), fail outside, not evaluated without a range', () => {
    const range = { min: 0, max: 10 };
    expect([0, 5, 10].map((v) => rangeFlag(v, range))).toEqual([1, 1, 1]);
    expect([-0.1, 10.1].map((v) => rangeFlag(v, range))).toEqual([4, 4]);
    expect(rangeFlag(1e9, undefined)).toBe(2);
  });

  it('builds a protocol reading from a raw sample, keeping out-of-range values', () => {
    const time = Date.UTC(2026, 10, 27, 8);
    expect(toReading(SENSOR, { sensor: SENSOR.id, value: 0.125, timeMs: time + 0.4 })).toEqual({
      ok: true,
      reading: {
        sensor: 'spring-discharge-1',
        quantity: 'discharge',
        unit: 'L/s',
        value: 123,
        time,
        qc: 1,
      },
    });
    expect(toReading(SENSOR, { sensor: SENSOR.id, value: 6, timeMs: time })).toMatchObject({
      reading: { value: 5998, qc: 4 },
    });
    const bare = { ...SENSOR, calibration: undefined, range: undefined };
    expect(toReading(bare, { sensor: SENSOR.id, value: 6, timeMs: time })).toMatchObject({
      reading: { value: 6, qc: 2 },
    });
  });

  it('refuses a sample taken before the clock was set, saying so', () => {
    const timeMs = Date.UTC(1999, 11, 31, 23, 59, 30);
    expect(toReading(SENSOR, { sensor: SENSOR.id, value: 0.125, timeMs })).toEqual({
      ok: false,
      reason: 'sample time 1999-12-31T23:59:30.000Z is before 2000-01-01: the clock is not set',
    });
    const late = toReading(SENSOR, { sensor: SENSOR.id, value: 0.125, timeMs: Date.UTC(2100, 0, 2) });
    expect(late).toEqual({ ok: false, reason: 'sample time 2100-01-02T00:00:00.000Z is after 2100-01-01' });
  });

  it('refuses a value the calibration carried beyond a finite number', () => {
    const result = toReading(
      { ...SENSOR, calibration: { scale: 1e300, offset: 0 } },
      { sensor: SENSOR.id, value: 1e10, timeMs: Date.UTC(2026, 10, 27, 8) },
    );
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/^value Infinity: /) });
  });
});

describe('Batcher', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function batcher(maxItems: number, maxDelayMs: number) {
    const batches: number[][] = [];
    const b = new Batcher<number>({ maxItems, maxDelayMs, onBatch: (items) => batches.push(items) });
    return { b, batches };
  }

  it('emits a full batch at once', () => {
    const { b, batches } = batcher(3, 1000);
    for (const n of [1, 2, 3, 4]) b.add(n);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(b.size).toBe(1);
  });

  it('emits a partial batch maxDelayMs after its first item, not after its last', () => {
    const { b, batches } = batcher(10, 1000);
    b.add(1);
    vi.advanceTimersByTime(600);
    b.add(2);
    vi.advanceTimersByTime(399);
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(batches).toEqual([[1, 2]]);
    vi.advanceTimersByTime(5000);
    expect(batches).toEqual([[1, 2]]);
  });

  it('restarts the delay for the next batch and cancels it on a count flush', () => {
    const { b, batches } = batcher(2, 1000);
    b.add(1);
    b.add(2);
    vi.advanceTimersByTime(1000);
    expect(batches).toEqual([[1, 2]]);
    b.add(3);
    vi.advanceTimersByTime(1000);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('flush() emits what is pending and nothing when empty', () => {
    const { b, batches } = batcher(10, 1000);
    b.flush();
    b.add(7);
    b.flush();
    vi.advanceTimersByTime(2000);
    expect(batches).toEqual([[7]]);
  });
});
