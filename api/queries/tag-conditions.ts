import { quoteIdentifier, quoteString, READING, type TagKey } from '../../influx/index.js';

/** The reading's tags a request may filter on. */
export const READING_FILTER_TAGS = [
  'station',
  'gateway',
  'sensor',
  'quantity',
] as const satisfies readonly TagKey<typeof READING>[];

/** Tag filters a request may set; every value has passed a slug or quantity schema already. */
export type TagFilter = { [K in (typeof READING_FILTER_TAGS)[number]]?: string | undefined };

/**
 * `"station" = 'jinfo' AND "sensor" = 'cave-co2-1'`: one condition for each of `keys` that `values`
 * sets, in the order of `keys`, under the stored names of `tags` (a record's tags, or a part records
 * share); escaped again although the values are slugs.
 */
export function tagConditions<K extends string>(
  tags: Readonly<Record<K, string>>,
  keys: readonly K[],
  values: { readonly [P in K]?: string | undefined },
): string[] {
  return keys.flatMap((key) => {
    const value = values[key];
    return value === undefined ? [] : [`${quoteIdentifier(tags[key])} = ${quoteString(value)}`];
  });
}

/** The conditions of a reading filter, as /v1/series and /v1/latest apply it. */
export function readingConditions(filter: TagFilter): string[] {
  return tagConditions(READING.tags, READING_FILTER_TAGS, filter);
}

/**
 * `("station" = 'jinfo' OR "station" = 'xuefeng')`: the stations a key is limited to, or no
 * condition for a key that sees every station. Rows without a station tag fail it.
 */
export function stationsCondition(
  tags: { readonly station: string },
  stations: readonly string[] | null | undefined,
): string[] {
  if (stations === null || stations === undefined) return [];
  const station = quoteIdentifier(tags.station);
  return [`(${stations.map((value) => `${station} = ${quoteString(value)}`).join(' OR ')})`];
}

export function whereClause(conditions: readonly string[]): string {
  return conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
}
