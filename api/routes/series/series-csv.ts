import type { QuerySeries } from '../../../influx/index.js';
import { readSeriesChunk } from '../../queries/series-chunks.js';
import { isoTime } from '../../views/iso-time.js';

export const CSV_COLUMNS = [
  'time',
  'station',
  'gateway',
  'sensor',
  'quantity',
  'unit',
  'value',
  'qc',
] as const;

/** One CSV field per RFC 4180: quoted (with doubled quotes) only when it holds a comma, quote or line break. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(fields: readonly (string | number | null)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** The CSV document, one string per chunk, so a long range never sits in memory whole. */
export async function* encodeSeriesCsv(chunks: AsyncIterable<QuerySeries>): AsyncGenerator<string> {
  yield csvRow(CSV_COLUMNS);
  for await (const chunk of chunks) {
    const { tags, points } = readSeriesChunk(chunk);
    const prefix = [tags.station, tags.gateway, tags.sensor, tags.quantity, tags.unit];
    yield points.map((point) => csvRow([isoTime(point.time), ...prefix, point.value, point.qc])).join('');
  }
}
