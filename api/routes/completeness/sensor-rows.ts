import { type QuerySeries, READING, seriesTag } from '../../../influx/index.js';
import type { LiveView } from '../../live/live-view.js';
import type { QueryPort } from '../../ports.js';
import {
  type CompletenessSelection,
  type SENSOR_ROW_TAGS,
  sensorPresenceQuery,
} from '../../queries/completeness-query.js';

/** One sensor's readings of one quantity on one gateway, and the interval the gateway announces for them. */
export interface SensorRow {
  gateway: string;
  sensor: string;
  quantity: string;
  intervalMs: number | undefined;
}

type SensorAddress = Pick<SensorRow, 'gateway' | 'sensor' | 'quantity'>;

export function sensorRowKey({ gateway, sensor, quantity }: SensorAddress): string {
  return `${gateway}\u0000${sensor}\u0000${quantity}`;
}

/** The sensor row a `GROUP BY gateway, sensor, quantity` series belongs to. */
export function sensorAddressOf(series: QuerySeries): SensorAddress {
  const tag = (key: (typeof SENSOR_ROW_TAGS)[number]) => seriesTag(READING, series, key) ?? '';
  return { gateway: tag('gateway'), sensor: tag('sensor'), quantity: tag('quantity') };
}

/** What the selected gateways announce in their retained status, as the live view knows it. */
function announcedRows(live: LiveView, selection: CompletenessSelection): SensorRow[] {
  return live
    .gateways()
    .filter((g) => g.station === selection.station)
    .filter((g) => selection.gateway === undefined || g.gateway === selection.gateway)
    .flatMap((g) =>
      g.sensors
        .filter((s) => selection.sensor === undefined || s.sensor === selection.sensor)
        .map((s) => ({
          gateway: g.gateway,
          sensor: s.sensor,
          quantity: s.quantity,
          intervalMs: s.intervalMs,
        })),
    );
}

const byKey = (a: SensorRow, b: SensorRow) => sensorRowKey(a).localeCompare(sensorRowKey(b));

/**
 * Every sensor row the report covers: those with readings in the range, and those announced with
 * none, which are the ones a data manager most needs to see. Sorted by gateway, sensor, quantity.
 */
export async function fetchSensorRows(
  queries: QueryPort,
  live: LiveView,
  selection: CompletenessSelection,
): Promise<SensorRow[]> {
  const rows = new Map<string, SensorRow>();
  for (const row of announcedRows(live, selection)) {
    // A sensor announced under two units is one row; its interval is the first announced.
    if (!rows.has(sensorRowKey(row))) rows.set(sensorRowKey(row), row);
  }
  for (const series of await queries.query(sensorPresenceQuery(selection))) {
    const address = sensorAddressOf(series);
    if (!rows.has(sensorRowKey(address)))
      rows.set(sensorRowKey(address), { ...address, intervalMs: undefined });
  }
  return [...rows.values()].sort(byKey);
}
