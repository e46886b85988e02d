import {
  durationLiteral,
  quoteIdentifier,
  quoteString,
  READING,
  READING_TAGS,
  selectList,
  timeLiteral,
} from '../../influx/index.js';
import type { TimeRange } from '../params/time-range.js';
import { readingConditions, type TagFilter, whereClause } from './tag-conditions.js';

export const AGGREGATE_FUNCTIONS = ['mean', 'min', 'max', 'count', 'first', 'last'] as const;
export type AggregateFunction = (typeof AGGREGATE_FUNCTIONS)[number];

export interface SeriesSelection extends TagFilter, TimeRange {
  station: string;
  /** Several sensors (a repeated `sensor=`); `sensor` stays undefined then. */
  sensors?: readonly string[] | undefined;
  /** Narrows to one series exactly (a wide export and a page query ask per series). */
  unit?: string | undefined;
}

export interface Aggregation {
  every: string;
  fn: AggregateFunction;
}

const MEASUREMENT = quoteIdentifier(READING.name);
const VALUE = quoteIdentifier(READING.fields.value);
const QC = quoteIdentifier(READING.fields.qc);
const GROUP_BY_TAGS = selectList(READING, READING_TAGS);

const SENSOR = quoteIdentifier(READING.tags.sensor);
const UNIT = quoteIdentifier(READING.tags.unit);

function extraConditions(selection: SeriesSelection): string[] {
  const sensors = selection.sensors ?? [];
  const anySensor = sensors.map((sensor) => `${SENSOR} = ${quoteString(sensor)}`).join(' OR ');
  return [
    ...(sensors.length > 0 ? [`(${anySensor})`] : []),
    ...(selection.unit === undefined ? [] : [`${UNIT} = ${quoteString(selection.unit)}`]),
  ];
}

/** `afterMs` starts strictly after a point already served (the page cursor), instead of at `from`. */
function selectionWhere(selection: SeriesSelection, afterMs?: number): string {
  // Half-open [from, to), so consecutive ranges never return a point twice.
  const start =
    afterMs === undefined ? `time >= ${timeLiteral(selection.fromMs)}` : `time > ${timeLiteral(afterMs)}`;
  return whereClause([
    ...readingConditions(selection),
    ...extraConditions(selection),
    start,
    `time < ${timeLiteral(selection.toMs)}`,
  ]);
}

/** Raw points, one series per station/gateway/sensor/quantity/unit, oldest first. */
export function rawSeriesQuery(selection: SeriesSelection): string {
  return `SELECT ${VALUE}, ${QC} FROM ${MEASUREMENT}${selectionWhere(selection)} GROUP BY ${GROUP_BY_TAGS}`;
}

/**
 * At most `limit` raw points of the selection (one series, when a page walks series by series),
 * oldest first, after `afterMs` when given.
 */
export function rawSeriesPageQuery(
  selection: SeriesSelection,
  afterMs: number | undefined,
  limit: number,
): string {
  return (
    `SELECT ${VALUE}, ${QC} FROM ${MEASUREMENT}${selectionWhere(selection, afterMs)} GROUP BY ${GROUP_BY_TAGS} ` +
    `LIMIT ${Math.trunc(limit)}`
  );
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
