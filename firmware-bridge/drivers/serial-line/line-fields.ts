import type { GatewayErrorCode } from '../../errors.js';
import type { CsvLineFormat, KeyValueLineFormat, LineFormat, RegexLineFormat } from './config.js';
import { compilePattern } from './line-pattern.js';

export type LineErrorCode = Extract<GatewayErrorCode, `LINE_${string}`>;

/** The parts of one line, as text, before they are checked. */
export interface LineFields {
  channel?: string;
  value: string;
  time?: string;
}

export type FieldsResult = LineFields | { code: LineErrorCode; reason: string };

/** Splits a line (trimmed, checksum removed) into its fields. */
export type LineSplitter = (line: string) => FieldsResult;

function csvSplitter(format: CsvLineFormat): LineSplitter {
  const at = (role: CsvLineFormat['columns'][number]) => format.columns.indexOf(role);
  const [channel, value, time] = [at('channel'), at('value'), at('time')];
  return (line) => {
    const cells = line.split(format.delimiter).map((cell) => cell.trim());
    if (cells.length !== format.columns.length) {
      return {
        code: 'LINE_FIELDS',
        reason: `expected ${format.columns.length} columns, got ${cells.length}`,
      };
    }
    return {
      channel: channel < 0 ? undefined : cells[channel],
      value: cells[value] ?? '',
      time: time < 0 ? undefined : cells[time],
    };
  };
}

function keyValueSplitter(format: KeyValueLineFormat): LineSplitter {
  return (line) => {
    const pairs = new Map<string, string>();
    for (const token of line.split(/\s+/)) {
      const at = token.indexOf('=');
      if (at <= 0) return { code: 'LINE_FIELDS', reason: `expected key=value, got "${token}"` };
      pairs.set(token.slice(0, at), token.slice(at + 1));
    }
    const value = pairs.get(format.valueKey);
    if (value === undefined) return { code: 'LINE_FIELDS', reason: `missing "${format.valueKey}="` };
    return { channel: pairs.get(format.channelKey), value, time: pairs.get(format.timeKey) };
  };
}

function regexSplitter(format: RegexLineFormat): LineSplitter {
  const compiled = compilePattern(format.pattern, format.flags);
  // The config schema compiled the same pattern already; this only keeps the types honest.
  if (compiled instanceof Error) return () => ({ code: 'LINE_FIELDS', reason: compiled.message });
  return (line) => {
    const groups = compiled.exec(line)?.groups;
    if (groups === undefined) return { code: 'LINE_FIELDS', reason: 'line does not match the pattern' };
    const value = groups.value;
    if (value === undefined)
      return { code: 'LINE_FIELDS', reason: 'the pattern matched without its value group' };
    return { channel: groups.channel, value: value.trim(), time: groups.time?.trim() };
  };
}

const SPLITTERS: { [T in LineFormat['type']]: (format: Extract<LineFormat, { type: T }>) => LineSplitter } = {
  csv: csvSplitter,
  kv: keyValueSplitter,
  value: () => (line) => ({ value: line }),
  regex: regexSplitter,
};

/** The splitter for a port's line format, prepared once (a regex is compiled here, not per line). */
export function lineSplitter(format: LineFormat): LineSplitter {
  return (SPLITTERS[format.type] as (format: LineFormat) => LineSplitter)(format);
}
