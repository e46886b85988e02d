import { describe, expect, it } from 'vitest';
import type { SensorConfig } from '../../../firmware-bridge/config/schema.js';
import { SamplePipeline } from '../../../firmware-bridge/sampling/sample-pipeline.js';
import { calibrate } from '../../../firmware-bridge/sampling/to-reading.js';
import type { Reading } from '../../../protocol/index.js';

const T0 = Date.UTC(2026, 10, 27, 8);

const DISCHARGE: SensorConfig = {
  id: 'spring-discharge-1',
  quantity: 'discharge',
  unit: 'L/s',
  intervalMs: 60000,
  calibration: { scale: 1000, offset: -2 },
  range: { min: 0, max: 5000 },
  driver: { type: 'serial-line', port: 'hydro', channel: 'Q' },
};

const AIR_TEMP: SensorConfig = {
  id: 'air-temp-1',
  quantity: 'air-temperature',
  unit: 'Cel',
  intervalMs: 60000,
  range: { min: -40, max: 50 },
  driver: { type: 'serial-line', port: 'met', channel: 'T' },
};

const AIR_RH: SensorConfig = {
  id: 'air-rh-1',
  quantity: 'relative-humidity',
  unit: '%',
  intervalMs: 60000,
  range: { min: 0, max: 100 },
  driver: { type: 'serial-line', port: 'met', channel: 'RH' },
};

const DEW_POINT: SensorConfig = {
  id: 'dew-point-1',
  quantity: 'dew-point',
  unit: 'Cel',
  intervalMs: 60000,
  driver: {
    type: 'derived',
    expression: 'b * (ln(rh / 100) + a * t / (b + t)) / (a - ln(rh / 100) - a * t / (b + t))',
    inputs: { t: 'air-temp-1', rh: 'air-rh-1' },
    constants: { a: 17.625, b: 243.04 },
  },
};

function pipeline(sensors: SensorConfig[], unsynced = false) {
  const readings: Reading[] = [];
  const rejected: { sensor: string; reason: string }[] = [];
  const pipe = new SamplePipeline({
    sensors,
    clockUnsynced: () => unsynced,
    emit: (reading) => readings.push(reading),
    reject: (sensor, reason) => rejected.push({ sensor, reason }),
  });
  return { pipe, readings, rejected };
}

describe('calibrate', () => {
  it('applies scale then offset', () => {
    expect(calibrate(0.125, { scale: 1000, offset: -2 })).toBe(123);
    expect(calibrate(7.5, undefined)).toBe(7.5);
  });
});

describe('SamplePipeline', () => {
  it('builds a calibrated reading, keeping out-of-range values flagged fail', () => {
    const { pipe, readings } = pipeline([
      DISCHARGE,
      { ...DISCHARGE, id: 'bare', calibration: undefined, range: undefined },
    ]);
    pipe.accept({ sensor: DISCHARGE.id, value: 0.125, timeMs: T0 + 0.4 });
    pipe.accept({ sensor: DISCHARGE.id, value: 6, timeMs: T0 + 60_000 });
    pipe.accept({ sensor: 'bare', value: 6, timeMs: T0 });
    expect(readings).toEqual([
      { sensor: 'spring-discharge-1', quantity: 'discharge', unit: 'L/s', value: 123, time: T0, qc: 1 },
      expect.objectContaining({ value: 5998, qc: 4 }),
      expect.objectContaining({ sensor: 'bare', value: 6, qc: 2 }),
    ]);
  });

  it('refuses a sample taken before the clock was set, saying so, and one calibrated beyond finite', () => {
    const { pipe, readings, rejected } = pipeline([
      DISCHARGE,
      { ...DISCHARGE, id: 'huge', calibration: { scale: 1e300, offset: 0 } },
    ]);
    pipe.accept({ sensor: DISCHARGE.id, value: 0.125, timeMs: Date.UTC(1999, 11, 31, 23, 59, 30) });
    pipe.accept({ sensor: DISCHARGE.id, value: 0.125, timeMs: Date.UTC(2100, 0, 2) });
    pipe.accept({ sensor: 'huge', value: 1e10, timeMs: T0 });
    expect(readings).toEqual([]);
    expect(rejected).toEqual([
      {
        sensor: DISCHARGE.id,
        reason: 'sample time 1999-12-31T23:59:30.000Z is before 2000-01-01: the clock is not set',
      },
      { sensor: DISCHARGE.id, reason: 'sample time 2100-01-02T00:00:00.000Z is after 2100-01-01' },
      { sensor: 'huge', reason: 'calibration gave Infinity, not a finite number' },
    ]);
  });

  it('marks readings sampled while the clock is known to be unsynchronised', () => {
    const { pipe, readings } = pipeline([AIR_TEMP], true);
    pipe.accept({ sensor: AIR_TEMP.id, value: 3, timeMs: T0 });
    expect(readings[0]).toMatchObject({ value: 3, clock: 'unsynced' });
    const synced = pipeline([AIR_TEMP], false);
    synced.pipe.accept({ sensor: AIR_TEMP.id, value: 3, timeMs: T0 });
    expect(synced.readings[0]).not.toHaveProperty('clock');
  });

  it('runs the configured QARTOD tests on the sensor history', () => {
    const sensor: SensorConfig = {
      ...AIR_TEMP,
      qc: { suspectRange: { min: -20, max: 35 }, rateOfChange: { maxPerSecond: 0.05 } },
    };
    const { pipe, readings } = pipeline([sensor]);
    const series: [number, number][] = [
      [10, 0],
      [11, 60],
      [40, 120],
      [15, 180],
      [-30, 240],
    ];
    for (const [value, seconds] of series) {
      pipe.accept({ sensor: sensor.id, value, timeMs: T0 + seconds * 1000 });
    }
    // 40: outside the user span and 29 K/min; 15: back down fast; -30 outside the user span.
    expect(readings.map((r) => r.qc)).toEqual([1, 1, 3, 3, 3]);
  });

  it('computes a derived channel once both inputs of a round are in, from calibrated values', () => {
    const temp = { ...AIR_TEMP, calibration: { scale: 1, offset: 0.5 } };
    const { pipe, readings } = pipeline([temp, AIR_RH, DEW_POINT]);
    pipe.accept({ sensor: temp.id, value: 19.5, timeMs: T0 });
    expect(readings.map((r) => r.sensor)).toEqual(['air-temp-1']);
    pipe.accept({ sensor: AIR_RH.id, value: 50, timeMs: T0 + 200 });
    const dew = readings.find((r) => r.sensor === 'dew-point-1');
    expect(dew).toMatchObject({ quantity: 'dew-point', unit: 'Cel', time: T0 + 200, qc: 1 });
    expect(dew?.value).toBeCloseTo(9.26, 2);
    // A second humidity in the same round does not pair with the old temperature again.
    pipe.accept({ sensor: AIR_RH.id, value: 51, timeMs: T0 + 30_000 });
    expect(readings.filter((r) => r.sensor === 'dew-point-1')).toHaveLength(1);
  });

  it('does not pair inputs sampled further apart than maxSkewMs, and passes on suspect inputs', () => {
    const suspectRh = { ...AIR_RH, qc: { suspectRange: { min: 10, max: 95 } } };
    const { pipe, readings } = pipeline([AIR_TEMP, suspectRh, DEW_POINT]);
    pipe.accept({ sensor: AIR_TEMP.id, value: 20, timeMs: T0 });
    pipe.accept({ sensor: suspectRh.id, value: 97, timeMs: T0 + 61_000 });
    expect(readings.some((r) => r.sensor === 'dew-point-1')).toBe(false);
    pipe.accept({ sensor: AIR_TEMP.id, value: 20, timeMs: T0 + 62_000 });
    expect(readings.find((r) => r.sensor === 'dew-point-1')).toMatchObject({ qc: 3, time: T0 + 62_000 });
  });

  it('ignores failed inputs and refuses a derived value that is not a number', () => {
    const sqrt: SensorConfig = {
      ...DEW_POINT,
      id: 'root-1',
      quantity: 'root',
      driver: { type: 'derived', expression: 'sqrt(t)', inputs: { t: 'air-temp-1' }, constants: {} },
    };
    const { pipe, readings, rejected } = pipeline([AIR_TEMP, sqrt]);
    pipe.accept({ sensor: AIR_TEMP.id, value: 99, timeMs: T0 });
    expect(readings.map((r) => [r.sensor, r.qc])).toEqual([['air-temp-1', 4]]);
    pipe.accept({ sensor: AIR_TEMP.id, value: -4, timeMs: T0 + 60_000 });
    expect(rejected).toEqual([{ sensor: 'root-1', reason: 'the expression gave NaN, not a finite number' }]);
  });
});
