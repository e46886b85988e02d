import type { z } from 'zod';
import { QcFlag, type QcFlagValue, type Reading, ReadingSchema } from '../../protocol/index.js';
import type { SensorConfig } from '../config/schema.js';
import type { RawSample } from '../drivers/driver.js';

/** A reading the contract accepts, or why this sample cannot become one. */
export type ReadingResult = { ok: true; reading: Reading } | { ok: false; reason: string };

/** raw * scale + offset; identity without a calibration. */
export function calibrate(raw: number, calibration: SensorConfig['calibration']): number {
  return calibration === undefined ? raw : raw * calibration.scale + calibration.offset;
}

/** QARTOD gross range test: pass inside the configured range, fail outside, not evaluated without one. */
export function rangeFlag(value: number, range: SensorConfig['range']): QcFlagValue {
  if (range === undefined) return QcFlag.notEvaluated;
  return value >= range.min && value <= range.max ? QcFlag.pass : QcFlag.fail;
}

function showTime(time: number): string {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? String(time) : date.toISOString();
}

function describeIssue(issue: z.core.$ZodIssue, reading: Reading): string {
  const [field] = issue.path;
  if (field === 'time') return `sample time ${showTime(reading.time)} ${issue.message}`;
  if (field === 'value') return `value ${reading.value}: ${issue.message}`;
  return `${issue.path.join('.') || 'reading'}: ${issue.message}`;
}

/**
 * Turns a raw sample into a protocol reading; out-of-range values are kept and flagged, never dropped.
 * The reading is checked against the contract here, one at a time, because the outbox refuses a whole
 * batch for one bad reading: a gateway clock that is not set (a Pi without RTC or NTP) must cost
 * only its own readings.
 */
export function toReading(sensor: SensorConfig, sample: RawSample): ReadingResult {
  const value = calibrate(sample.value, sensor.calibration);
  const reading: Reading = {
    sensor: sensor.id,
    quantity: sensor.quantity,
    unit: sensor.unit,
    value,
    time: Math.round(sample.timeMs),
    qc: rangeFlag(value, sensor.range),
  };
  const checked = ReadingSchema.safeParse(reading);
  if (checked.success) return { ok: true, reading: checked.data };
  return { ok: false, reason: checked.error.issues.map((issue) => describeIssue(issue, reading)).join('; ') };
}
