import { z } from 'zod';
import {
  ALERT_EVENT,
  type ColumnKey,
  columnReader,
  type InfluxQueryClient,
  type QuerySeries,
  quoteIdentifier,
  selectList,
  seriesTag,
} from '../../influx/index.js';
import {
  AlertStateSchema,
  GatewayIdSchema,
  RuleIdSchema,
  SensorIdSchema,
  StationIdSchema,
} from '../../protocol/index.js';

/** The last `alert_event` of one (station, rule): what its retained MQTT message says now. */
export const LastAlertEventSchema = z.object({
  station: StationIdSchema,
  rule: RuleIdSchema,
  state: AlertStateSchema,
  // Gateway-offline events name no sensor, composite events completed by the tick neither.
  gateway: GatewayIdSchema.optional(),
  sensor: SensorIdSchema.optional(),
  time: z.number().int(),
});

export type LastAlertEvent = z.infer<typeof LastAlertEventSchema>;

/** The fields and tags of `alert_event` read besides its grouping tags station and rule. */
const EVENT_COLUMNS = ['state', 'gateway', 'sensor'] as const satisfies readonly ColumnKey<
  typeof ALERT_EVENT
>[];

// LIMIT applies per GROUP BY group, so this is the newest event of each (station, rule).
export const LAST_ALERT_EVENTS_QUERY =
  `SELECT ${selectList(ALERT_EVENT, EVENT_COLUMNS)} FROM ${quoteIdentifier(ALERT_EVENT.name)} ` +
  `GROUP BY ${selectList(ALERT_EVENT, ['station', 'rule'])} ORDER BY time DESC LIMIT 1`;

/** Pure: the query's series as events; rows that do not fit the contract are skipped. */
export function lastAlertEvents(series: readonly QuerySeries[]): LastAlertEvent[] {
  return series.flatMap((s) => {
    const cell = columnReader(ALERT_EVENT, s.columns);
    const station = seriesTag(ALERT_EVENT, s, 'station');
    const rule = seriesTag(ALERT_EVENT, s, 'rule');
    return s.values.flatMap((row) => {
      // InfluxQL answers null for a field the point does not have.
      const present = (key: (typeof EVENT_COLUMNS)[number]) => cell(row, key) ?? undefined;
      const parsed = LastAlertEventSchema.safeParse({
        station,
        rule,
        state: present('state'),
        gateway: present('gateway'),
        sensor: present('sensor'),
        time: cell(row, 'time'),
      });
      return parsed.success ? [parsed.data] : [];
    });
  });
}

export async function loadLastAlertEvents(queries: InfluxQueryClient): Promise<LastAlertEvent[]> {
  return lastAlertEvents(await queries.query(LAST_ALERT_EVENTS_QUERY));
}
