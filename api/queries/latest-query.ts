import { quoteIdentifier, READING, READING_TAGS, selectList } from '../../influx/index.js';
import { readingConditions, type TagFilter, whereClause } from './tag-conditions.js';

/**
 * The newest point of every series in one query: with GROUP BY tags, LIMIT applies per series.
 * (`last(value), last(qc)` would lose the point's time: two selectors return time 0 in InfluxQL.)
 */
export function latestQuery(filter: TagFilter = {}): string {
  return (
    `SELECT ${selectList(READING, ['value', 'qc'])} FROM ${quoteIdentifier(READING.name)}${whereClause(readingConditions(filter))} ` +
    `GROUP BY ${selectList(READING, READING_TAGS)} ORDER BY time DESC LIMIT 1`
  );
}
