import { setTimeout as sleep } from 'node:timers/promises';
import { type InfluxQueryClient, quoteIdentifier, quoteString, READING } from '../influx/index.js';
import { BENCH_STATION } from './batches.js';
import { epochNow } from './stats.js';

/** How many readings of one benchmark sensor InfluxDB holds (all gateways, all time). */
export async function countReadings(queries: InfluxQueryClient, sensor: string): Promise<number> {
  const series = await queries.query(
    `SELECT count(${quoteIdentifier(READING.fields.value)}) FROM ${quoteIdentifier(READING.name)} ` +
      `WHERE station = ${quoteString(BENCH_STATION)} AND sensor = ${quoteString(sensor)}`,
  );
  return Number(series[0]?.values[0]?.[1] ?? 0);
}

export interface CountReached {
  /** Epoch ms when the first query that returned at least `expected` completed. */
  at: number;
  count: number;
}

/**
 * Polls the count until it reaches `expected`; undefined when `deadline` (performance.now() time)
 * passes first. The moment found is late by at most one interval plus one query.
 */
export async function waitForCount(
  queries: InfluxQueryClient,
  sensor: string,
  expected: number,
  intervalMs: number,
  deadline: number,
): Promise<CountReached | undefined> {
  for (;;) {
    const issued = performance.now();
    const count = await countReadings(queries, sensor);
    if (count >= expected) return { at: epochNow(), count };
    if (performance.now() > deadline) return undefined;
    await sleep(Math.max(0, issued + intervalMs - performance.now()));
  }
}
