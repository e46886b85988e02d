import { quoteIdentifier, quoteString } from '../../influx/index.js';

/** Tag filters a request may set; every value has passed a slug or quantity schema already. */
export interface TagFilter {
  station?: string | undefined;
  gateway?: string | undefined;
  sensor?: string | undefined;
  quantity?: string | undefined;
}

const FILTER_TAGS = ['station', 'gateway', 'sensor', 'quantity'] as const;

/** `"station" = 'jinfo' AND "sensor" = 'cave-co2-1'`, escaped again although the values are slugs. */
export function tagConditions(filter: TagFilter): string[] {
  return FILTER_TAGS.flatMap((tag) => {
    const value = filter[tag];
    return value === undefined ? [] : [`${quoteIdentifier(tag)} = ${quoteString(value)}`];
  });
}

/**
 * `("station" = 'jinfo' OR "station" = 'xuefeng')`: the stations a key is limited to, or no
 * condition for a key that sees every station. Rows without a station tag fail it.
 */
export function stationsCondition(stations: readonly string[] | null | undefined): string[] {
  if (stations === null || stations === undefined) return [];
  return [`(${stations.map((station) => `"station" = ${quoteString(station)}`).join(' OR ')})`];
}

export function whereClause(conditions: readonly string[]): string {
  return conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
}
