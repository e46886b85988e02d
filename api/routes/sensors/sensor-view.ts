import type { MetadataRecord } from '../../queries/metadata-rows.js';
import { type CalibrationEntry, calibrationAt, calibrationHistory } from '../../views/calibration-history.js';
import { isoTime } from '../../views/iso-time.js';
import { metadataView } from '../../views/metadata-view.js';
import type { SensorResponse } from './sensors-schema.js';

function entryView({ calibration, recordedAt }: CalibrationEntry) {
  return { ...calibration, recordedAt: isoTime(recordedAt) };
}

/** The sensor route's answer from its metadata points (any order). Pure. */
export function sensorView(
  station: string,
  sensor: string,
  records: readonly MetadataRecord[],
  atMs?: number,
): SensorResponse {
  const newest = records.reduce<MetadataRecord | undefined>(
    (found, record) => (found === undefined || found.time <= record.time ? record : found),
    undefined,
  );
  const history = calibrationHistory(records);
  const inForce = atMs === undefined ? undefined : calibrationAt(history, atMs);
  return {
    station,
    sensor,
    gateway: newest?.gateway ?? null,
    metadata: newest === undefined ? null : metadataView(newest),
    calibrations: history.map(entryView),
    ...(atMs === undefined
      ? {}
      : { at: { time: isoTime(atMs), calibration: inForce === undefined ? null : entryView(inForce) } }),
  };
}
