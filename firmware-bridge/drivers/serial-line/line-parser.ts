import { TimestampSchema } from '../../../protocol/index.js';
import { MAX_LINE_BYTES } from '../serial/line-buffer.js';
import { checkNmeaChecksum } from '../serial/nmea-checksum.js';
import type { LineFormat } from './config.js';
import { type LineErrorCode, type LineFields, type LineSplitter, lineSplitter } from './line-fields.js';

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
  split: LineSplitter;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function parseTime(text: string): number | undefined {
  const parsed = TimestampSchema.safeParse(NUMBER.test(text) ? Number(text) : text);
  return parsed.success ? parsed.data : undefined;
}

function resolveSensor(channel: string | undefined, route: LineRoute): string | undefined {
  return channel === undefined ? route.single : route.channels.get(channel);
}

/**
 * The sensor a line with a bad checksum was most likely meant for: its channel still names one unless
 * the corruption hit the channel itself, and then nobody can tell.
 */
function likelySensor(body: string, route: LineRoute): { sensor?: string } {
  const fields = route.split(body);
  const sensor = 'code' in fields ? route.single : resolveSensor(fields.channel, route);
  return sensor === undefined ? {} : { sensor };
}

function toSample(fields: LineFields, sensor: string): LineResult {
  if (!NUMBER.test(fields.value)) {
    const reason = `value "${fields.value}" is not a number`;
    return { kind: 'error', code: 'LINE_VALUE_NOT_NUMERIC', reason, sensor };
  }
  const value = Number(fields.value);
  if (!Number.isFinite(value)) {
    const reason = `value "${fields.value}" is not finite`;
    return { kind: 'error', code: 'LINE_VALUE_NOT_NUMERIC', reason, sensor };
  }
  if (fields.time === undefined || fields.time === '') return { kind: 'sample', sensor, value };
  const timeMs = parseTime(fields.time);
  if (timeMs === undefined) {
    const reason = `time "${fields.time}" is neither epoch milliseconds nor RFC 3339 with a zone (2000-2100)`;
    return { kind: 'error', code: 'LINE_TIME_INVALID', reason, sensor };
  }
  return { kind: 'sample', sensor, value, timeMs };
}

/** Parses one line from a serial port into a raw sample for one sensor. Pure; never throws. */
export function parseLine(rawLine: string, route: LineRoute): LineResult {
  if (Buffer.byteLength(rawLine, 'utf8') > MAX_LINE_BYTES) {
    return { kind: 'error', code: 'LINE_TOO_LONG', reason: `line longer than ${MAX_LINE_BYTES} bytes` };
  }
  let line = rawLine.trim();
  if (line === '') return { kind: 'blank' };
  if (route.format.checksum === 'nmea') {
    const checked = checkNmeaChecksum(line, true);
    if (!checked.ok) {
      return {
        kind: 'error',
        code: 'LINE_CHECKSUM',
        reason: checked.reason,
        ...likelySensor(checked.body, route),
      };
    }
    line = checked.body.trim();
  }
  const fields = route.split(line);
  if ('code' in fields) return { kind: 'error', ...fields };
  const sensor = resolveSensor(fields.channel, route);
  if (sensor === undefined) {
    const reason =
      fields.channel === undefined ? 'line has no channel key' : `unknown channel "${fields.channel}"`;
    return { kind: 'error', code: 'LINE_UNKNOWN_CHANNEL', reason };
  }
  return toSample(fields, sensor);
}

/** The route for a port: each sensor answers to its channel; a port with one sensor also takes lines without one. */
export function lineRoute(
  format: LineFormat,
  sensors: readonly { sensor: string; channel: string }[],
): LineRoute {
  const channels = new Map(sensors.map(({ sensor, channel }) => [channel, sensor]));
  const only = sensors.length === 1 ? sensors[0] : undefined;
  const split = lineSplitter(format);
  return only === undefined ? { format, channels, split } : { format, channels, single: only.sensor, split };
}
