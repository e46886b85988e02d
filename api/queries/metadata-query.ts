import { METADATA, quoteIdentifier, quoteString } from '../../influx/index.js';

/** Tags of `metadata`, in the order the queries group by them. */
export const METADATA_TAGS = ['station', 'gateway', 'subject', 'sensor'] as const;

/** A sensor's changes are rare (a calibration a year); this bounds a history gone wrong. */
export const METADATA_HISTORY_LIMIT = 10_000;

/**
 * The newest `metadata` point of every subject in one query: with GROUP BY every tag, LIMIT applies
 * per series (station and gateway subjects have no `sensor` tag and group under an empty one).
 */
export function latestMetadataQuery(): string {
  return (
    `SELECT * FROM ${quoteIdentifier(METADATA.name)} ` +
    `GROUP BY ${METADATA_TAGS.map(quoteIdentifier).join(', ')} ORDER BY time DESC LIMIT 1`
  );
}

/** Every `metadata` point of one sensor of a station, oldest first, whichever gateway reported it. */
export function sensorMetadataHistoryQuery(station: string, sensor: string): string {
  const where = [
    `${quoteIdentifier('station')} = ${quoteString(station)}`,
    `${quoteIdentifier('subject')} = ${quoteString('sensor')}`,
    `${quoteIdentifier('sensor')} = ${quoteString(sensor)}`,
  ].join(' AND ');
  return (
    `SELECT * FROM ${quoteIdentifier(METADATA.name)} WHERE ${where} ` +
    `GROUP BY ${METADATA_TAGS.map(quoteIdentifier).join(', ')} ORDER BY time ASC LIMIT ${METADATA_HISTORY_LIMIT}`
  );
}
