import { quoteIdentifier } from './influxql.js';
import type { FieldValue, Point } from './line-protocol.js';

/**
 * One measurement of the storage contract: its name and the stored names of its tags and fields,
 * each under the name our code uses for it. Writers and readers both go through the record, so a
 * renamed field is one edit here and a misspelt one is a compile error, not an empty column.
 */
export interface MeasurementRecord {
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, string>>;
}

export type TagKey<M extends MeasurementRecord> = keyof M['tags'] & string;
export type FieldKey<M extends MeasurementRecord> = keyof M['fields'] & string;
/** A column a query of the measurement returns: `time`, a tag or a field. */
export type ColumnKey<M extends MeasurementRecord> = 'time' | TagKey<M> | FieldKey<M>;

/** Freezes a record, keeping its literal names for the types above. */
export function defineMeasurement<const M extends MeasurementRecord>(record: M): M {
  return Object.freeze(record);
}

export interface RecordPoint<M extends MeasurementRecord> {
  tags: Partial<Record<TagKey<M>, string>>;
  fields: Partial<Record<FieldKey<M>, FieldValue>>;
  /** Integer timestamp in the precision of the write request. */
  timestamp: number | bigint;
}

function storedEntries(
  names: Readonly<Record<string, string>>,
  values: Readonly<Record<string, unknown>>,
): [string, unknown][] {
  // The caller's order is kept: fields are encoded in it, so a point's line stays as it was.
  return Object.entries(values).flatMap(([key, value]) =>
    value === undefined ? [] : [[names[key] ?? key, value] as [string, unknown]],
  );
}

/** A point of `record` from our names of its tags and fields; absent (undefined) ones are left out. */
export function recordPoint<M extends MeasurementRecord>(record: M, point: RecordPoint<M>): Point {
  return {
    measurement: record.name,
    tags: Object.fromEntries(storedEntries(record.tags, point.tags)) as Record<string, string>,
    fields: Object.fromEntries(storedEntries(record.fields, point.fields)) as Record<string, FieldValue>,
    timestamp: point.timestamp,
  };
}

/** The stored name of a tag or field of `record` (`time` stays `time`). */
export function storedName<M extends MeasurementRecord>(record: M, key: ColumnKey<M>): string {
  if (key === 'time') return key;
  return record.tags[key] ?? record.fields[key] ?? key;
}

/**
 * Reads a query's row by our names: the stored column is looked up once per series (InfluxDB names
 * its columns after the stored names and may order them as it likes), absent columns read undefined.
 */
export function columnReader<M extends MeasurementRecord>(
  record: M,
  columns: readonly string[],
): (row: readonly unknown[], key: ColumnKey<M>) => unknown {
  const indexes = new Map<string, number>();
  columns.forEach((column, index) => {
    if (!indexes.has(column)) indexes.set(column, index);
  });
  return (row, key) => {
    const index = indexes.get(storedName(record, key));
    return index === undefined ? undefined : row[index];
  };
}

/**
 * A tag of a series a `GROUP BY` query returned, by our name: the tags of a grouped result come with
 * the series under their stored names, not in its columns. Undefined when the series lacks the tag.
 */
export function seriesTag<M extends MeasurementRecord>(
  record: M,
  series: { readonly tags?: Readonly<Record<string, string>> | undefined },
  key: TagKey<M>,
): string | undefined {
  return series.tags?.[record.tags[key] ?? key];
}

/** A SELECT list of `record`'s columns by our names, each stored name quoted as an identifier. */
export function selectList<M extends MeasurementRecord>(record: M, keys: readonly ColumnKey<M>[]): string {
  return keys.map((key) => quoteIdentifier(storedName(record, key))).join(', ');
}
