import { TimestampSchema } from '../../../protocol/index.js';
import type { GatewayErrorCode } from '../../errors.js';
import type { CsvLineFormat, KeyValueLineFormat, LineFormat } from './config.js';

/** Lines longer than this are noise on the wire or a runaway device, not a reading. */
export const MAX_LINE_BYTES = 1024;

export type LineErrorCode = Extract<GatewayErrorCode, `LINE_${string}`>;

export type LineResult =
  | { kind: 'sample'; sensor: string; value: number; timeMs?: number }
  | { kind: 'blank' }
  | { kind: 'error'; code: LineErrorCode; reason: string; sensor?: string };

/** How a port's lines map to sensors. */
export interface LineRoute {
  format: LineFormat;
  /** Channel key -> sensor id. */
  channels: ReadonlyMap<string, string>;
  /** The sensor of a port whose lines carry no channel key. */
  single?: string;
}

interface LineFields {
  channel?: string;
  value: string;
  time?: string;
}

type FieldsResult = LineFields | { code: LineErrorCode; reason: string };

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function csvFields(line: string, format: CsvLineFormat): FieldsResult {
  const cells = line.split(format.delimiter).map((cell) => cell.trim());
  if (cells.length !== format.columns.length) {
    return { code: 'LINE_FIELDS', reason: `expected ${format.columns.length} columns, got ${cells.length}` };
  }
  const cell = (role: string) => {
    const index = format.columns.indexOf(role as CsvLineFormat['columns'][number]);
    return index < 0 ? undefined : cells[index];
  };
  return { channel: cell('channel'), value: cell('value') ?? '', time: cell('time') };
}

function keyValueFields(line: string, format: KeyValueLineFormat): FieldsResult {
  const pairs = new Map<string, string>();
  for (const token of line.split(/\s+/)) {
    const at = token.indexOf('=');
    if (at <= 0) return { code: 'LINE_FIELDS', reason: `expected key=value, got "${token}"` };
    pairs.set(token.slice(0, at), token.slice(at + 1));
  }
  const value = pairs.get(format.valueKey);
  if (value === undefined) return { code: 'LINE_FIELDS', reason: `missing "${format.valueKey}="` };
  return { channel: pairs.get(format.channelKey), value, time: pairs.get(format.timeKey) };
}

const FIELDS: {
  [T in LineFormat['type']]: (line: string, format: Extract<LineFormat, { type: T }>) => FieldsResult;
} = {
  csv: csvFields,
  kv: keyValueFields,
  value: (line) => ({ value: line }),
};

function parseTime(text: string): number | undefined {
  const parsed = TimestampSchema.safeParse(NUMBER.test(text) ? Number(text) : text);
  return parsed.success ? parsed.data : undefined;
}

function resolveSensor(channel: string | undefined, route: LineRoute): string | undefined {
  return channel === undefined ? route.single : route.channels.get(channel);
}

/** Parses one line from a serial port into a raw sample for one sensor. Pure; never throws. */
export function parseLine(rawLine: string, route: LineRoute): LineResult {
  if (Buffer.byteLength(rawLine, 'utf8') > MAX_LINE_BYTES) {
    return { kind: 'error', code: 'LINE_TOO_LONG', reason: `line longer than ${MAX_LINE_BYTES} bytes` };
  }
  const line = rawLine.trim();
  if (line === '') return { kind: 'blank' };
  const split = FIELDS[route.format.type] as (line: string, format: LineFormat) => FieldsResult;
  const fields = split(line, route.format);
  if ('code' in fields) return { kind: 'error', ...fields };
  const sensor = resolveSensor(fields.channel, route);
  if (sensor === undefined) {
    const reason =
      fields.channel === undefined ? 'line has no channel key' : `unknown channel "${fields.channel}"`;
    return { kind: 'error', code: 'LINE_UNKNOWN_CHANNEL', reason };
  }
  if (!NUMBER.test(fields.value)) {
    return {
      kind: 'error',
      code: 'LINE_VALUE_NOT_NUMERIC',
      reason: `value "${fields.value}" is not a number`,
      sensor,
    };
  }
  const value = Number(fields.value);
  if (!Number.isFinite(value)) {
    return {
      kind: 'error',
      code: 'LINE_VALUE_NOT_NUMERIC',
      reason: `value "${fields.value}" is not finite`,
      sensor,
    };
  }
  if (fields.time === undefined || fields.time === '') return { kind: 'sample', sensor, value };
  const timeMs = parseTime(fields.time);
  if (timeMs === undefined) {
    const reason = `time "${fields.time}" is neither epoch milliseconds nor RFC 3339 with a zone (2000-2100)`;
    return { kind: 'error', code: 'LINE_TIME_INVALID', reason, sensor };
  }
  return { kind: 'sample', sensor, value, timeMs };
}

/** The route for a port: each sensor answers to its channel; a port with one sensor also takes lines without one. */
export function lineRoute(
  format: LineFormat,
  sensors: readonly { sensor: string; channel: string }[],
): LineRoute {
  const channels = new Map(sensors.map(({ sensor, channel }) => [channel, sensor]));
  const only = sensors.length === 1 ? sensors[0] : undefined;
  return only === undefined ? { format, channels } : { format, channels, single: only.sensor };
}
