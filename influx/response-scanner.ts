import type { RowTexts } from './row-texts.js';
import { scanValues } from './values-scanner.js';

/** The rows of `results[result].series[series].values`, scanned instead of parsed. */
export interface ScannedValues {
  result: number;
  series: number;
  /** The span of the `values` array in the line, `[` to `]` inclusive. */
  start: number;
  end: number;
  rows: RowTexts;
}

/**
 * A response line with every series' `values` array cut out: `envelope` is the line with each of
 * them replaced by `[]`, small enough for JSON.parse and the response schema to read as before.
 */
export interface ScannedResponse {
  envelope: string;
  values: ScannedValues[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** An open object or array, with the member name it is the value of (objects' members only). */
interface Container {
  array: boolean;
  key: string | undefined;
  /** Arrays: the index of the current element. Objects: the name of the current member. */
  index: number;
  member: string | undefined;
  expectsName: boolean;
}

/** Where `results[r].series[s].values` opens: the containers above it, from the root down. */
function valuesPlace(stack: readonly Container[]): { result: number; series: number } | undefined {
  if (stack.length !== 5) return undefined;
  const [root, results, result, series, row] = stack as [
    Container,
    Container,
    Container,
    Container,
    Container,
  ];
  const shaped = !root.array && results.array && results.key === 'results' && !result.array && series.array;
  if (!shaped || series.key !== 'series' || row.array || row.member !== 'values') return undefined;
  return { result: results.index, series: series.index };
}

/** The end of the string whose opening quote is at `start` (after its closing quote). */
function stringEnd(text: string, start: number): number {
  let at = start + 1;
  for (;;) {
    const code = text.charCodeAt(at);
    if (code === QUOTE) return at + 1;
    if (code === BACKSLASH) at += 2;
    else if (Number.isNaN(code)) return text.length;
    else at++;
  }
}

/**
 * Walks one line of a `/query` response (InfluxDB's `{"results":[{"series":[{…,"values":[…]}]}]}`)
 * and scans each series' rows in place. Undefined when a `values` array holds what the row scanner
 * leaves to JSON.parse, or a series names `values` twice; the caller then parses the line whole. The
 * walk only follows strings and nesting: whether the rest is valid JSON is for JSON.parse of the envelope.
 */
export function scanResponse(text: string): ScannedResponse | undefined {
  const stack: Container[] = [];
  const values: ScannedValues[] = [];
  const seen = new Set<string>();
  let at = 0;
  while (at < text.length) {
    const code = text.charCodeAt(at);
    const top = stack[stack.length - 1];
    if (code === QUOTE) {
      const end = stringEnd(text, at);
      if (top !== undefined && !top.array && top.expectsName) {
        top.member = text.slice(at + 1, end - 1);
        top.expectsName = false;
      }
      at = end;
      continue;
    }
    if (code === OPEN_ARRAY) {
      const place = valuesPlace(stack);
      if (place !== undefined) {
        const scanned = scanValues(text, at);
        const key = `${place.result}/${place.series}`;
        if (scanned === undefined || seen.has(key)) return undefined;
        seen.add(key);
        values.push({ ...place, start: at, end: scanned.end, rows: scanned.rows });
        at = scanned.end;
        continue;
      }
    }
    if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
      const key = top !== undefined && !top.array ? top.member : undefined;
      stack.push({ array: code === OPEN_ARRAY, key, index: 0, member: undefined, expectsName: true });
    } else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) {
      stack.pop();
    } else if (code === COMMA && top !== undefined) {
      if (top.array) top.index++;
      else top.expectsName = true;
    } else if (code === COLON && top !== undefined) {
      top.expectsName = false;
    }
    at++;
  }
  return { envelope: envelopeOf(text, values), values };
}

function envelopeOf(text: string, values: readonly ScannedValues[]): string {
  let envelope = '';
  let from = 0;
  for (const { start, end } of values) {
    envelope += `${text.slice(from, start)}[]`;
    from = end;
  }
  return envelope + text.slice(from);
}
