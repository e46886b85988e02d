import { describe, expect, it } from 'vitest';
import {
  flatLineFlag,
  grossRangeFlag,
  rateOfChangeFlag,
  spikeFlag,
  worstFlag,
} from '../../../firmware-bridge/qc/qartod-tests.js';
import { SensorQc } from '../../../firmware-bridge/qc/sensor-qc.js';

const past = (...values: number[]) => values.map((value, index) => ({ value, timeMs: index * 1000 }));

describe('QARTOD tests', () => {
  it('gross range: fail outside the sensor span, suspect outside the user span, bounds included', () => {
    const sensor = { min: 0, max: 100 };
    const user = { min: 10, max: 90 };
    expect([0, 5, 10, 90, 95, 100, 101, -1].map((v) => grossRangeFlag(v, sensor, user))).toEqual([
      3, 3, 1, 1, 3, 3, 4, 4,
    ]);
    expect(grossRangeFlag(1e9)).toBe(2);
    expect(grossRangeFlag(50, undefined, user)).toBe(1);
  });

  it('rate of change: per second against the previous good reading', () => {
    const config = { maxPerSecond: 1 };
    expect(rateOfChangeFlag({ value: 12, timeMs: 2000 }, { value: 10, timeMs: 0 }, config)).toBe(1);
    expect(rateOfChangeFlag({ value: 12.1, timeMs: 2000 }, { value: 10, timeMs: 0 }, config)).toBe(3);
    expect(rateOfChangeFlag({ value: 12, timeMs: 2000 }, undefined, config)).toBe(2);
    expect(rateOfChangeFlag({ value: 12, timeMs: 0 }, { value: 10, timeMs: 0 }, config)).toBe(2);
  });

  it('spike: distance from the mean of the two readings before', () => {
    const config = { suspect: 2, fail: 5 };
    expect(spikeFlag(11, past(9, 11), config)).toBe(1);
    expect(spikeFlag(12.5, past(9, 11), config)).toBe(3);
    expect(spikeFlag(15.5, past(9, 11), config)).toBe(4);
    expect(spikeFlag(15.5, past(11), config)).toBe(2);
  });

  it('flat line: suspect, then fail, as identical readings accumulate', () => {
    const config = { tolerance: 0.01, suspectCount: 3, failCount: 5 };
    expect(flatLineFlag(7, past(7), config)).toBe(2);
    expect(flatLineFlag(7, past(6, 7), config)).toBe(1);
    expect(flatLineFlag(7.005, past(7, 7), config)).toBe(3);
    expect(flatLineFlag(7, past(7, 7, 7, 7), config)).toBe(4);
    expect(flatLineFlag(7, past(7, 7, 7, 7.5), config)).toBe(1);
  });

  it('aggregates to the worst evaluated flag, not evaluated when nothing ran', () => {
    expect(worstFlag([2, 1, 3])).toBe(3);
    expect(worstFlag([1, 4, 3])).toBe(4);
    expect(worstFlag([2, 1])).toBe(1);
    expect(worstFlag([2, 2])).toBe(2);
    expect(worstFlag([])).toBe(2);
  });
});

describe('SensorQc', () => {
  it('keeps values outside the sensor span out of the history, so the next good value is not a jump', () => {
    const qc = new SensorQc({ range: { min: 0, max: 100 }, qc: { rateOfChange: { maxPerSecond: 1 } } });
    expect(qc.flag(10, 0)).toBe(1);
    expect(qc.flag(500, 1000)).toBe(4);
    expect(qc.flag(11, 2000)).toBe(1);
  });

  it('settles on a new level after a genuine step instead of failing every reading after it', () => {
    const qc = new SensorQc({ range: { min: 0, max: 100 }, qc: { spike: { suspect: 2, fail: 5 } } });
    expect([10, 10, 10, 20, 20, 20, 20].map((v, i) => qc.flag(v, i * 1000))).toEqual([1, 1, 1, 4, 3, 1, 1]);
  });

  it('flags a stuck sensor suspect then fail and recovers when it moves', () => {
    const qc = new SensorQc({ qc: { flatLine: { tolerance: 0, suspectCount: 3, failCount: 4 } } });
    expect([5, 5, 5, 5, 5, 6].map((v, i) => qc.flag(v, i * 1000))).toEqual([2, 2, 3, 4, 4, 1]);
  });
});
