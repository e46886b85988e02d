import { METADATA, quoteIdentifier, quoteString, selectList } from '../../influx/index.js';

/** Tags of `metadata`, in the order the queries group by them. */
const GROUP_BY_TAGS = selectList(METADATA, ['station', 'gateway', 'subject', 'sensor']);

/** A sensor's changes are rare (a calibration a year); this bounds a history gone wrong. */
export const METADATA_HISTORY_LIMIT = 10_000;

/**
 * The newest `metadata` point of every subject in one query: with GROUP BY every tag, LIMIT applies
 * per series (station and gateway subjects have no `sensor` tag and group under an empty one).
 */
export function latestMetadataQuery(): string {
  return (
    `SELECT * FROM ${quoteIdentifier(METADATA.name)} ` +
    `GROUP BY ${GROUP_BY_TAGS} ORDER BY time DESC LIMIT 1`
  );
}

/** Every `metadata` point of one sensor of a station, oldest first, whichever gateway reported it. */
export function sensorMetadataHistoryQuery(station: string, sensor: string): string {
  const where = [
    `${quoteIdentifier(METADATA.tags.station)} = ${quoteString(station)}`,
    `${quoteIdentifier(METADATA.tags.subject)} = ${quoteString('sensor')}`,
    `${quoteIdentifier(METADATA.tags.sensor)} = ${quoteString(sensor)}`,
  ].join(' AND ');
  return (
    `SELECT * FROM ${quoteIdentifier(METADATA.name)} WHERE ${where} ` +
    `GROUP BY ${GROUP_BY_TAGS} ORDER BY time ASC LIMIT ${METADATA_HISTORY_LIMIT}`
  );
}
