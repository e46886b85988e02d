import {
  durationLiteral,
  quoteIdentifier,
  READING_FIELDS,
  READING_TAGS,
  READINGS_MEASUREMENT,
  timeLiteral,
} from '../../influx/index.js';
import type { TimeRange } from '../params/time-range.js';
import { type TagFilter, tagConditions, whereClause } from './tag-conditions.js';

export const AGGREGATE_FUNCTIONS = ['mean', 'min', 'max', 'count', 'first', 'last'] as const;
export type AggregateFunction = (typeof AGGREGATE_FUNCTIONS)[number];

export interface SeriesSelection extends TagFilter, TimeRange {
  station: string;
}

export interface Aggregation {
  every: string;
  fn: AggregateFunction;
}

const MEASUREMENT = quoteIdentifier(READINGS_MEASUREMENT);
const VALUE = quoteIdentifier(READING_FIELDS.value);
const QC = quoteIdentifier(READING_FIELDS.qc);
const GROUP_BY_TAGS = READING_TAGS.map(quoteIdentifier).join(', ');

function selectionWhere(selection: SeriesSelection): string {
  // Half-open [from, to), so consecutive ranges never return a point twice.
  return whereClause([
    ...tagConditions(selection),
    `time >= ${timeLiteral(selection.fromMs)}`,
    `time < ${timeLiteral(selection.toMs)}`,
  ]);
}

/** Raw points, one series per station/gateway/sensor/quantity/unit, oldest first. */
export function rawSeriesQuery(selection: SeriesSelection): string {
  return `SELECT ${VALUE}, ${QC} FROM ${MEASUREMENT}${selectionWhere(selection)} GROUP BY ${GROUP_BY_TAGS}`;
}

/**
 * One row per window. `fill(null)` reports a window without data as a null value (count gives 0
 * there, with a null qc): a gap is shown, never interpolated. A window's qc is its worst (highest) flag.
 */
export function aggregatedSeriesQuery(selection: SeriesSelection, aggregation: Aggregation): string {
  const window = durationLiteral(aggregation.every);
  return (
    `SELECT ${aggregation.fn}(${VALUE}) AS ${VALUE}, max(${QC}) AS ${QC} FROM ${MEASUREMENT}${selectionWhere(selection)} ` +
    `GROUP BY time(${window}), ${GROUP_BY_TAGS} fill(null)`
  );
}

/** How many raw points the selection holds, checked before streaming them. */
export function pointCountQuery(selection: SeriesSelection): string {
  return `SELECT count(${VALUE}) FROM ${MEASUREMENT}${selectionWhere(selection)}`;
}

/**
 * The first point of every series the selection holds in its range: one row per series, however
 * long the range, so the route learns how many series an aggregation would fill with windows.
 */
export function seriesPresenceQuery(selection: SeriesSelection): string {
  return `SELECT ${VALUE} FROM ${MEASUREMENT}${selectionWhere(selection)} GROUP BY ${GROUP_BY_TAGS} LIMIT 1`;
}
