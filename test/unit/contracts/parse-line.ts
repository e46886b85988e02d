/**
 * A reader of one line-protocol point, as InfluxDB would store it, for tests that write a point with
 * an ingest builder and read it back through an API decoder without a server in between.
 */
export interface ParsedPoint {
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, string | number | boolean>;
  timestamp: bigint;
}

/** Splits at `separator` outside quotes and not escaped; escapes are kept for the caller. */
function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length) {
      current += c + text[i + 1];
      i += 1;
    } else if (c === '"') {
      quoted = !quoted;
      current += c;
    } else if (c === separator && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

const unescapeKey = (text: string) => text.replace(/\\(.)/g, '$1');

function fieldValue(raw: string): string | number | boolean {
  if (raw.startsWith('"'))
    return raw
      .slice(1, -1)
      .replace(/\\n/g, '\n')
      .replace(/\\(["\\])/g, '$1');
  if (raw === 't' || raw === 'f') return raw === 't';
  if (raw.endsWith('i')) return Number(raw.slice(0, -1));
  return Number(raw);
}

export function parseLine(line: string): ParsedPoint {
  const [key = '', fieldSet = '', timestamp = ''] = splitUnescaped(line, ' ');
  const [measurement = '', ...tagPairs] = splitUnescaped(key, ',');
  const pair = (text: string) => {
    const [name = '', ...value] = splitUnescaped(text, '=');
    return [unescapeKey(name), value.join('=')] as const;
  };
  return {
    measurement: unescapeKey(measurement),
    tags: Object.fromEntries(tagPairs.map(pair).map(([name, value]) => [name, unescapeKey(value)])),
    fields: Object.fromEntries(
      splitUnescaped(fieldSet, ',')
        .map(pair)
        .map(([name, value]) => [name, fieldValue(value)]),
    ),
    timestamp: BigInt(timestamp),
  };
}

/** The columns of `SELECT a, b FROM …` as InfluxDB names them, `time` first. */
export function selectedColumns(query: string): string[] {
  const list = /^SELECT (.*?) FROM /.exec(query)?.[1] ?? '';
  return ['time', ...list.split(', ').map((column) => JSON.parse(column) as string)];
}

/** One row as a query answers it: epoch ms, and null for a column the point does not have. */
export function rowOf(point: ParsedPoint, columns: readonly string[], nsPerTimeUnit: bigint): unknown[] {
  return columns.map((column) =>
    column === 'time'
      ? Number((point.timestamp * nsPerTimeUnit) / 1_000_000n)
      : (point.tags[column] ?? point.fields[column] ?? null),
  );
}
