import { QcFlag, type QcFlagValue, type Reading } from '../../protocol/index.js';
import type { SensorConfig } from '../config/schema.js';
import type { RawSample } from '../drivers/driver.js';

/** raw * scale + offset; identity without a calibration. */
export function calibrate(raw: number, calibration: SensorConfig['calibration']): number {
  return calibration === undefined ? raw : raw * calibration.scale + calibration.offset;
}

/** QARTOD gross range test: pass inside the configured range, fail outside, not evaluated without one. */
export function rangeFlag(value: number, range: SensorConfig['range']): QcFlagValue {
  if (range === undefined) return QcFlag.notEvaluated;
  return value >= range.min && value <= range.max ? QcFlag.pass : QcFlag.fail;
}

/** Turns a raw sample into a protocol reading; out-of-range values are kept and flagged, never dropped. */
export function toReading(sensor: SensorConfig, sample: RawSample): Reading {
  const value = calibrate(sample.value, sensor.calibration);
  return {
    sensor: sensor.id,
    quantity: sensor.quantity,
    unit: sensor.unit,
    value,
    time: Math.round(sample.timeMs),
    qc: rangeFlag(value, sensor.range),
  };
}
