import {
  type ColumnKey,
  durationLiteral,
  GATEWAY_SEQUENCE,
  quoteIdentifier,
  READING,
  selectList,
  timeLiteral,
} from '../../influx/index.js';
import type { TimeRange } from '../params/time-range.js';
import { tagConditions, whereClause } from './tag-conditions.js';

export interface CompletenessSelection extends TimeRange {
  station: string;
  gateway?: string | undefined;
  sensor?: string | undefined;
}

/**
 * A completeness row is one sensor's readings of one quantity on one gateway, whatever their unit:
 * a sensor measuring two quantities sends two readings per sample, each judged on its own.
 */
export const SENSOR_ROW_TAGS = ['gateway', 'sensor', 'quantity'] as const satisfies readonly ColumnKey<
  typeof READING
>[];

/** The running totals of `gateway_sequence` the completeness report reads. */
export const SEQUENCE_TOTALS = ['messages', 'duplicates', 'late'] as const satisfies readonly ColumnKey<
  typeof GATEWAY_SEQUENCE
>[];

const READINGS = quoteIdentifier(READING.name);
const VALUE = quoteIdentifier(READING.fields.value);
const BY_SENSOR_ROW = selectList(READING, SENSOR_ROW_TAGS);
const SEQUENCE = quoteIdentifier(GATEWAY_SEQUENCE.name);
const GATEWAY = quoteIdentifier(GATEWAY_SEQUENCE.tags.gateway);
const LAST_TOTALS = SEQUENCE_TOTALS.map(
  (total) => `last(${quoteIdentifier(GATEWAY_SEQUENCE.fields[total])}) AS ${quoteIdentifier(total)}`,
).join(', ');

function inRange(range: TimeRange): string[] {
  // Half-open [from, to), as /v1/series, so consecutive ranges never count a point twice.
  return [`time >= ${timeLiteral(range.fromMs)}`, `time < ${timeLiteral(range.toMs)}`];
}

function readingsWhere(selection: CompletenessSelection): string {
  return whereClause([
    ...tagConditions(READING.tags, ['station', 'gateway', 'sensor'], selection),
    ...inRange(selection),
  ]);
}

// gateway_sequence has no sensor tag: its totals are the gateway's.
function sequenceTags(selection: CompletenessSelection): string[] {
  return tagConditions(GATEWAY_SEQUENCE.tags, ['station', 'gateway'], selection);
}

function byTime(every: string | undefined): string {
  return every === undefined ? '' : `time(${durationLiteral(every)}), `;
}

/** One row per sensor row with a reading in the range, however long the range. */
export function sensorPresenceQuery(selection: CompletenessSelection): string {
  return `SELECT ${VALUE} FROM ${READINGS}${readingsWhere(selection)} GROUP BY ${BY_SENSOR_ROW} LIMIT 1`;
}

/** Readings stored per sensor row and window; an empty window counts 0. */
export function receivedCountQuery(selection: CompletenessSelection, every: string | undefined): string {
  const fill = every === undefined ? '' : ' fill(0)';
  return (
    `SELECT count(${VALUE}) AS "received" FROM ${READINGS}${readingsWhere(selection)} ` +
    `GROUP BY ${byTime(every)}${BY_SENSOR_ROW}${fill}`
  );
}

/** Every reading of the range, oldest first per sensor row; only its time is used (to find gaps). */
export function readingTimesQuery(selection: CompletenessSelection): string {
  return `SELECT ${VALUE} FROM ${READINGS}${readingsWhere(selection)} GROUP BY ${BY_SENSOR_ROW}`;
}

/** The last running totals of each gateway in each window; a window without a point has no row. */
export function sequenceTotalsQuery(selection: CompletenessSelection, every: string | undefined): string {
  const where = whereClause([...sequenceTags(selection), ...inRange(selection)]);
  const fill = every === undefined ? '' : ' fill(none)';
  return `SELECT ${LAST_TOTALS} FROM ${SEQUENCE}${where} GROUP BY ${byTime(every)}${GATEWAY}${fill}`;
}

/** Each gateway's last running totals before the range: what the first window's change starts from. */
export function sequenceBaselineQuery(selection: CompletenessSelection): string {
  const where = whereClause([...sequenceTags(selection), `time < ${timeLiteral(selection.fromMs)}`]);
  return `SELECT ${LAST_TOTALS} FROM ${SEQUENCE}${where} GROUP BY ${GATEWAY}`;
}
