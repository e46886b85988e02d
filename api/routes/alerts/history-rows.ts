import { z } from 'zod';
import {
  ALERT_ACK,
  ALERT_DELIVERY,
  ALERT_EVENT,
  ALERT_SILENCE,
  type QuerySeries,
} from '../../../influx/index.js';
import { HISTORY_MEASUREMENTS, type HistoryMeasurement } from '../../queries/alert-history-query.js';
import { isoTime } from '../../views/iso-time.js';

export const HISTORY_TYPES = ['fire', 'clear', 'ack', 'silence', 'lift', 'delivery'] as const;

const text = z.string().optional();
const instant = (what: string) => z.string().optional().describe(what);

export const HistoryEntrySchema = z.object({
  time: z.string().describe('when it happened (for fire and clear: the sample time that changed the state)'),
  type: z
    .enum(HISTORY_TYPES)
    .describe('fire, clear (the rule changed state), ack, silence, lift (a silence lifted) or delivery'),
  station: z.string(),
  rule: z.string(),
  severity: text.describe('fire, clear'),
  kind: text.describe('fire, clear: the kind of rule'),
  message: text.describe('fire, clear'),
  gateway: text,
  sensor: text,
  value: z.number().optional(),
  threshold: z.number().optional(),
  since: instant(
    'fire, clear: when the episode began (absent on events stored before this field); ack: the episode acknowledged; delivery: the episode notified about',
  ),
  by: text.describe('ack, silence'),
  comment: text.describe('ack, silence'),
  until: instant('silence'),
  id: text.describe('delivery: the notification, the same across its attempts'),
  channel: text.describe('delivery: email or webhook'),
  subscriber: text.describe('delivery'),
  reason: text.describe('delivery: firing, clear, repeat or escalation'),
  outcome: text.describe('delivery: sent, retrying or failed'),
  attempt: z.number().int().optional(),
  error: text.describe('delivery: why the attempt failed'),
});

export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

/** An entry with its time as a number and its source, for merging and paging. */
export interface HistoryRow {
  atMs: number;
  measurement: HistoryMeasurement;
  entry: HistoryEntry;
}

type Cells = Readonly<Record<string, unknown>>;

const str = (cells: Cells, column: string): Record<string, string> => {
  const cell = cells[column];
  return typeof cell === 'string' && cell !== '' ? { [column]: cell } : {};
};
const num = (cells: Cells, column: string): Record<string, number> => {
  const cell = cells[column];
  return typeof cell === 'number' && Number.isFinite(cell) ? { [column]: cell } : {};
};
const time = (cells: Cells, column: string): Record<string, string> => {
  const cell = cells[column];
  return typeof cell === 'number' && Number.isSafeInteger(cell) ? { [column]: isoTime(cell) } : {};
};
const strings = (cells: Cells, columns: readonly string[]) =>
  Object.assign({}, ...columns.map((column) => str(cells, column))) as Record<string, string>;

type Mapper = (cells: Cells) => Omit<HistoryEntry, 'time' | 'station' | 'rule'> | undefined;

/** Each measurement's row as an entry; undefined for a row that fits none (it is skipped). */
const MAPPERS: Readonly<Record<HistoryMeasurement, Mapper>> = {
  [ALERT_EVENT.name]: (cells) => {
    const state = cells.state;
    if (state !== 'firing' && state !== 'clear') return undefined;
    return {
      type: state === 'firing' ? 'fire' : 'clear',
      ...strings(cells, ['severity', 'kind', 'message', 'gateway', 'sensor']),
      ...num(cells, 'value'),
      ...num(cells, 'threshold'),
      ...time(cells, 'since'),
    };
  },
  [ALERT_ACK.name]: (cells) => ({
    type: 'ack',
    ...time(cells, 'since'),
    ...strings(cells, ['by', 'comment']),
  }),
  [ALERT_SILENCE.name]: (cells) => ({
    type: cells.lifted === true ? 'lift' : 'silence',
    ...time(cells, 'until'),
    ...strings(cells, ['by', 'comment']),
  }),
  [ALERT_DELIVERY.name]: (cells) => ({
    type: 'delivery',
    ...strings(cells, ['id', 'channel', 'subscriber', 'reason', 'outcome', 'error']),
    ...num(cells, 'attempt'),
    ...time(cells, 'since'),
  }),
};

function isHistoryMeasurement(name: string): name is HistoryMeasurement {
  return (HISTORY_MEASUREMENTS as readonly string[]).includes(name);
}

/** The rows of one series of the history query; columns are found by name. Pure. */
export function historyRows({ name, columns, values }: QuerySeries): HistoryRow[] {
  if (!isHistoryMeasurement(name)) return [];
  const measurement = name;
  return values.flatMap((row) => {
    const cells: Cells = Object.fromEntries(columns.map((column, i) => [column, row[i]]));
    const { time: atMs, station, rule } = cells;
    if (typeof atMs !== 'number' || typeof station !== 'string' || typeof rule !== 'string') return [];
    const rest = MAPPERS[measurement](cells);
    if (rest === undefined) return [];
    return [{ atMs, measurement, entry: { time: isoTime(atMs), station, rule, ...rest } }];
  });
}
