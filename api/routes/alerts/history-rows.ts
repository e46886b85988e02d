import { z } from 'zod';
import {
  ALERT_ACK,
  ALERT_DELIVERY,
  ALERT_EVENT,
  ALERT_SILENCE,
  type ALERT_TAGS,
  type ColumnKey,
  columnReader,
  type MeasurementRecord,
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

type Rest = Omit<HistoryEntry, 'time' | 'station' | 'rule'>;
/** A cell of the row being read, by our name of its column. */
type Cell<M extends MeasurementRecord> = (key: ColumnKey<M>) => unknown;
/** The reader of one series' rows: a row's time and entry, or undefined for a row that fits none. */
type SeriesReader = (row: readonly unknown[]) => { atMs: number; entry: HistoryEntry } | undefined;

const str = <K extends string>(cell: (key: K) => unknown, key: K): Partial<Record<K, string>> => {
  const value = cell(key);
  return typeof value === 'string' && value !== '' ? ({ [key]: value } as Record<K, string>) : {};
};
const num = <K extends string>(cell: (key: K) => unknown, key: K): Partial<Record<K, number>> => {
  const value = cell(key);
  return typeof value === 'number' && Number.isFinite(value) ? ({ [key]: value } as Record<K, number>) : {};
};
const time = <K extends string>(cell: (key: K) => unknown, key: K): Partial<Record<K, string>> => {
  const value = cell(key);
  return typeof value === 'number' && Number.isSafeInteger(value)
    ? ({ [key]: isoTime(value) } as Record<K, string>)
    : {};
};
const strings = <K extends string>(
  cell: (key: K) => unknown,
  keys: readonly K[],
): Partial<Record<K, string>> => Object.assign({}, ...keys.map((key) => str(cell, key)));

/**
 * Reads the rows of one alert measurement by our names (the entry's keys are ours too): time, the
 * station and rule every alert record carries, and what `rest` makes of the others.
 */
function seriesReader<M extends MeasurementRecord & { readonly tags: typeof ALERT_TAGS }>(
  record: M,
  rest: (cell: Cell<M>) => Rest | undefined,
): (columns: readonly string[]) => SeriesReader {
  return (columns) => {
    const read = columnReader(record, columns);
    return (row) => {
      const cell: Cell<M> = (key) => read(row, key);
      const atMs = cell('time');
      const station = cell('station');
      const rule = cell('rule');
      if (typeof atMs !== 'number' || typeof station !== 'string' || typeof rule !== 'string')
        return undefined;
      const others = rest(cell);
      return others === undefined
        ? undefined
        : { atMs, entry: { time: isoTime(atMs), station, rule, ...others } };
    };
  };
}

/** Each measurement's row as an entry; undefined for a row that fits none (it is skipped). */
const READERS: Readonly<Record<HistoryMeasurement, (columns: readonly string[]) => SeriesReader>> = {
  [ALERT_EVENT.name]: seriesReader(ALERT_EVENT, (cell) => {
    const state = cell('state');
    if (state !== 'firing' && state !== 'clear') return undefined;
    return {
      type: state === 'firing' ? 'fire' : 'clear',
      ...strings(cell, ['severity', 'kind', 'message', 'gateway', 'sensor']),
      ...num(cell, 'value'),
      ...num(cell, 'threshold'),
      ...time(cell, 'since'),
    };
  }),
  [ALERT_ACK.name]: seriesReader(ALERT_ACK, (cell) => ({
    type: 'ack',
    ...time(cell, 'since'),
    ...strings(cell, ['by', 'comment']),
  })),
  [ALERT_SILENCE.name]: seriesReader(ALERT_SILENCE, (cell) => ({
    type: cell('lifted') === true ? 'lift' : 'silence',
    ...time(cell, 'until'),
    ...strings(cell, ['by', 'comment']),
  })),
  [ALERT_DELIVERY.name]: seriesReader(ALERT_DELIVERY, (cell) => ({
    type: 'delivery',
    ...strings(cell, ['id', 'channel', 'subscriber', 'reason', 'outcome', 'error']),
    ...num(cell, 'attempt'),
    ...time(cell, 'since'),
  })),
};

function isHistoryMeasurement(name: string): name is HistoryMeasurement {
  return (HISTORY_MEASUREMENTS as readonly string[]).includes(name);
}

/** The rows of one series of the history query; columns are found by name. Pure. */
export function historyRows({ name, columns, values }: QuerySeries): HistoryRow[] {
  if (!isHistoryMeasurement(name)) return [];
  const measurement = name;
  const read = READERS[measurement](columns);
  return values.flatMap((row) => {
    const found = read(row);
    return found === undefined ? [] : [{ atMs: found.atMs, measurement, entry: found.entry }];
  });
}
