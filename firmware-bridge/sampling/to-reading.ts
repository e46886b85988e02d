import type { z } from 'zod';
import { type Reading, ReadingSchema } from '../../protocol/index.js';
import type { SensorConfig } from '../config/schema.js';

/** A reading the contract accepts, or why this sample cannot become one. */
export type ReadingResult = { ok: true; reading: Reading } | { ok: false; reason: string };

/** raw * scale + offset; identity without a calibration. */
export function calibrate(raw: number, calibration: SensorConfig['calibration']): number {
  return calibration === undefined ? raw : raw * calibration.scale + calibration.offset;
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
 * Checks one reading against the contract. Done here, one at a time, because the outbox refuses a
 * whole batch for one bad reading: a gateway clock that is not set (a Pi without RTC or NTP) must
 * cost only its own readings.
 */
export function checkReading(reading: Reading): ReadingResult {
  const checked = ReadingSchema.safeParse(reading);
  if (checked.success) return { ok: true, reading: checked.data };
  return { ok: false, reason: checked.error.issues.map((issue) => describeIssue(issue, reading)).join('; ') };
}
