import { setTimeout as sleep } from 'node:timers/promises';
import type { InfluxConnection } from '../../influx/index.js';
import type { GatewayAddress } from '../../protocol/index.js';
import { ChaosError } from './cli-child.js';

export type ReadingKey = 'value' | 'sensor-time';

function readingsOf(address: GatewayAddress): string {
  return `FROM reading WHERE station = '${address.station}' AND gateway = '${address.gateway}'`;
}

async function storedCount(influx: InfluxConnection, address: GatewayAddress): Promise<number> {
  const [series] = await influx.queries.query(`SELECT count(value) ${readingsOf(address)}`);
  const count = series?.values[0]?.[series.columns.indexOf('count')];
  return typeof count === 'number' ? count : 0;
}

/** The key of every stored row, in chunks so that no row limit cuts the list. */
export async function storedKeys(
  influx: InfluxConnection,
  address: GatewayAddress,
  key: ReadingKey,
): Promise<string[]> {
  const keys: string[] = [];
  const query = `SELECT value ${readingsOf(address)} GROUP BY sensor`;
  for await (const series of influx.queries.stream(query)) {
    const time = series.columns.indexOf('time');
    const value = series.columns.indexOf('value');
    const sensor = series.tags?.sensor ?? '';
    for (const row of series.values) {
      keys.push(key === 'value' ? String(row[value]) : `${sensor}@${row[time]}`);
    }
  }
  return keys;
}

export interface SettleOptions {
  /** Stored rows that end the wait at once. */
  expected: number;
  /** The count unchanged this long means nothing more is coming (something was lost). */
  quietMs: number;
  deadlineMs: number;
}

/**
 * Awaits the spool's drain after the load stopped: until InfluxDB holds `expected` rows, or its count
 * stays put for `quietMs`; a count still moving at the deadline is an error, not a result.
 */
export async function settle(
  influx: InfluxConnection,
  address: GatewayAddress,
  options: SettleOptions,
): Promise<number> {
  const deadline = Date.now() + options.deadlineMs;
  let last = -1;
  let changedAt = Date.now();
  while (Date.now() < deadline) {
    // InfluxDB may be starting again after its own kill: an unanswered query is one more poll.
    const count = await storedCount(influx, address).catch(() => last);
    if (count >= options.expected) return count;
    if (count !== last) {
      last = count;
      changedAt = Date.now();
    } else if (Date.now() - changedAt >= options.quietMs) {
      return count;
    }
    await sleep(250);
  }
  throw new ChaosError(
    'CHAOS_SETTLE_TIMEOUT',
    `InfluxDB still gained readings of ${address.gateway} after ${options.deadlineMs} ms (${last} of ${options.expected})`,
  );
}
