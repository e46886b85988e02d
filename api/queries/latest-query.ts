import { quoteIdentifier, READING_FIELDS, READING_TAGS, READINGS_MEASUREMENT } from '../../influx/index.js';
import { type TagFilter, tagConditions, whereClause } from './tag-conditions.js';

/**
 * The newest point of every series in one query: with GROUP BY tags, LIMIT applies per series.
 * (`last(value), last(qc)` would lose the point's time: two selectors return time 0 in InfluxQL.)
 */
export function latestQuery(filter: TagFilter = {}): string {
  const fields = [READING_FIELDS.value, READING_FIELDS.qc].map(quoteIdentifier).join(', ');
  return (
    `SELECT ${fields} FROM ${quoteIdentifier(READINGS_MEASUREMENT)}${whereClause(tagConditions(filter))} ` +
    `GROUP BY ${READING_TAGS.map(quoteIdentifier).join(', ')} ORDER BY time DESC LIMIT 1`
  );
}
