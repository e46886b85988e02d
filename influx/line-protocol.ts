/**
 * InfluxDB line protocol encoding (https://docs.influxdata.com/influxdb/v1/write_protocols/line_protocol_reference/).
 * Pure string building: every key and value is escaped here, so no input can start a new field,
 * tag or line.
 */

const MEASUREMENT_SPECIALS = /[,\s\\]/g;
const KEY_SPECIALS = /[,= \\]/g;
const LINE_BREAKS = /[\r\n]/g;

export class LineProtocolError extends Error {
  readonly code = 'LINE_PROTOCOL_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'LineProtocolError';
  }
}

function refuseLineBreaks(role: string, text: string): void {
  LINE_BREAKS.lastIndex = 0;
  if (LINE_BREAKS.test(text))
    throw new LineProtocolError(`${role} ${JSON.stringify(text)} contains a line break`);
}

export function escapeMeasurement(name: string): string {
  refuseLineBreaks('measurement', name);
  return name.replace(MEASUREMENT_SPECIALS, (c) => `\\${c}`);
}

/** Escapes a tag key, tag value or field key. */
export function escapeKey(key: string): string {
  refuseLineBreaks('key', key);
  if (key.length === 0) throw new LineProtocolError('tag and field keys and tag values must not be empty');
  return key.replace(KEY_SPECIALS, (c) => `\\${c}`);
}

/** Quotes a string field value; line breaks are written as `\n` so a point stays on one line. */
export function quoteStringField(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\r?\n|\r/g, '\\n')}"`;
}

export type FieldValue = { float: number } | { int: number } | { str: string } | { bool: boolean };

/** A string field that is left out of the point when there is no text (a record's optional field). */
export function optionalStr(text: string | undefined): FieldValue | undefined {
  return text === undefined ? undefined : { str: text };
}

/** A float field that is left out of the point when there is no number (a record's optional field). */
export function optionalFloat(value: number | undefined): FieldValue | undefined {
  return value === undefined ? undefined : { float: value };
}

export interface Point {
  measurement: string;
  tags: Readonly<Record<string, string>>;
  fields: Readonly<Record<string, FieldValue>>;
  /** Integer timestamp in the precision of the write request. */
  timestamp: number | bigint;
}

/** A float field's value as written after `key=`; `key` only names the field in the error. */
export function floatFieldValue(key: string, value: number): string {
  if (!Number.isFinite(value)) throw new LineProtocolError(`field ${key} is not finite: ${value}`);
  return `${value}`;
}

/** An integer field's value as written after `key=`; `key` only names the field in the error. */
export function intFieldValue(key: string, value: number): string {
  if (!Number.isSafeInteger(value)) throw new LineProtocolError(`field ${key} is not an integer: ${value}`);
  return `${value}i`;
}

function encodeField(key: string, field: FieldValue): string {
  if ('float' in field) return `${escapeKey(key)}=${floatFieldValue(key, field.float)}`;
  if ('int' in field) return `${escapeKey(key)}=${intFieldValue(key, field.int)}`;
  if ('str' in field) return `${escapeKey(key)}=${quoteStringField(field.str)}`;
  return `${escapeKey(key)}=${field.bool ? 't' : 'f'}`;
}

/** A point's series key: the measurement and its tags, sorted by key as InfluxDB recommends. */
export function encodeSeriesKey(point: Pick<Point, 'measurement' | 'tags'>): string {
  const tags = Object.keys(point.tags)
    .sort()
    .map((key) => `,${escapeKey(key)}=${escapeKey(point.tags[key] ?? '')}`)
    .join('');
  return `${escapeMeasurement(point.measurement)}${tags}`;
}

/** A point's field set; `measurement` only names the point in the error when there are no fields. */
export function encodeFieldSet(measurement: string, fields: Point['fields']): string {
  const encoded = Object.entries(fields).map(([key, value]) => encodeField(key, value));
  if (encoded.length === 0) throw new LineProtocolError(`point of ${measurement} has no fields`);
  return encoded.join(',');
}

/** Encodes one point: series key, field set, timestamp. */
export function encodePoint(point: Point): string {
  return `${encodeSeriesKey(point)} ${encodeFieldSet(point.measurement, point.fields)} ${point.timestamp}`;
}
