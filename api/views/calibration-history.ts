import { type Calibration, metaDateMs } from '../../protocol/index.js';
import type { MetadataRecord } from '../queries/metadata-rows.js';

/** A calibration as the history lists it: what the gateway said, and when it first said so. */
export interface CalibrationEntry {
  calibration: Calibration;
  /** Time of the first meta message that carried it (epoch ms). */
  recordedAt: number;
}

function sameCalibration(a: Calibration, b: Calibration): boolean {
  return (
    JSON.stringify([a.date, a.coefficients, a.by, a.note]) ===
    JSON.stringify([b.date, b.coefficients, b.by, b.note])
  );
}

/**
 * The distinct calibrations of a sensor's metadata points, ordered by the date they were done (in
 * force from). Every meta message repeats the calibration in force, so each one is listed once, with
 * the time it was first reported. Pure.
 */
export function calibrationHistory(records: readonly MetadataRecord[]): CalibrationEntry[] {
  const entries: CalibrationEntry[] = [];
  for (const record of [...records].sort((a, b) => a.time - b.time)) {
    const calibration = record.metadata.calibration;
    if (calibration === undefined) continue;
    if (entries.some((entry) => sameCalibration(entry.calibration, calibration))) continue;
    entries.push({ calibration, recordedAt: record.time });
  }
  return entries.sort(
    (a, b) => metaDateMs(a.calibration.date) - metaDateMs(b.calibration.date) || a.recordedAt - b.recordedAt,
  );
}

/**
 * The calibration in force at `atMs`: the one done most recently at or before it (of two on the same
 * date, the one reported last, which corrected the other). Undefined before the first. `history` in
 * the order calibrationHistory gives. Pure.
 */
export function calibrationAt(
  history: readonly CalibrationEntry[],
  atMs: number,
): CalibrationEntry | undefined {
  let inForce: CalibrationEntry | undefined;
  for (const entry of history) {
    if (metaDateMs(entry.calibration.date) <= atMs) inForce = entry;
  }
  return inForce;
}
