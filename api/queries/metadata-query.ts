import { METADATA, type MetadataSubject, quoteIdentifier, selectList } from '../../influx/index.js';
import { tagConditions, whereClause } from './tag-conditions.js';

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
  const where = whereClause(
    tagConditions(METADATA.tags, ['station', 'subject', 'sensor'], {
      station,
      subject: 'sensor' satisfies MetadataSubject,
      sensor,
    }),
  );
  return (
    `SELECT * FROM ${quoteIdentifier(METADATA.name)}${where} ` +
    `GROUP BY ${GROUP_BY_TAGS} ORDER BY time ASC LIMIT ${METADATA_HISTORY_LIMIT}`
  );
}
