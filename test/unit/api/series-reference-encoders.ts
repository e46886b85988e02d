/**
 * The series encoders as they were before they wrote bytes by hand (generic JSON.stringify per
 * point, CSV records from cell arrays, Date#toISOString): the oracle the fast ones must equal byte
 * for byte. Only tests import this.
 */

import { readSeriesChunk, type SeriesPoint } from '../../../api/queries/series-chunks.js';
import { GapTracker } from '../../../api/routes/series/gaps.js';
import { CSV_COLUMNS } from '../../../api/routes/series/series-csv.js';
import type { IntervalLookup } from '../../../api/routes/series/series-json.js';
import type { SeriesDocumentHeader } from '../../../api/routes/series/series-schema.js';
import { csvNumber, csvRecord, csvText } from '../../../api/views/csv.js';
import type { QuerySeries } from '../../../influx/index.js';

const iso = (ms: number) => new Date(ms).toISOString();

interface OpenSeries {
  key: string;
  points: number;
  gaps: GapTracker | undefined;
}

function closeSeries(open: OpenSeries): string {
  if (open.gaps === undefined) return ']}';
  return `],"gaps":${JSON.stringify(open.gaps.gaps.map(([from, to]) => [iso(from), iso(to)]))}}`;
}

function pointsJson(open: OpenSeries, points: readonly SeriesPoint[]): string {
  const parts = points.map((point) => {
    open.gaps?.add(point.time);
    return JSON.stringify({ time: iso(point.time), value: point.value, qc: point.qc });
  });
  const text = `${open.points > 0 && parts.length > 0 ? ',' : ''}${parts.join(',')}`;
  open.points += parts.length;
  return text;
}

export function referenceSeriesJson(
  chunks: readonly QuerySeries[],
  header: SeriesDocumentHeader,
  intervalOf: IntervalLookup,
  closing: Record<string, unknown> = {},
): string {
  const raw = header.every === null;
  let text = `${JSON.stringify(header).slice(0, -1)},"series":[`;
  let open: OpenSeries | undefined;
  for (const series of chunks) {
    const chunk = readSeriesChunk(series);
    if (open?.key !== chunk.key) {
      const intervalMs = intervalOf(chunk.tags);
      const { station, gateway, sensor, quantity, unit } = chunk.tags;
      const head = JSON.stringify({
        station,
        gateway,
        sensor,
        quantity,
        unit,
        intervalMs: intervalMs ?? null,
      });
      text += `${open ? `${closeSeries(open)},` : ''}${head.slice(0, -1)},"points":[`;
      const tracksGaps = raw && intervalMs !== undefined;
      open = { key: chunk.key, points: 0, gaps: tracksGaps ? new GapTracker(intervalMs) : undefined };
    }
    text += pointsJson(open, chunk.points);
  }
  const members = Object.entries(closing).map(
    ([name, value]) => `,${JSON.stringify(name)}:${JSON.stringify(value)}`,
  );
  return `${text}${open ? closeSeries(open) : ''}]${members.join('')}}`;
}

export function referenceSeriesCsv(chunks: readonly QuerySeries[]): string {
  let text = csvRecord(CSV_COLUMNS.map(csvText));
  for (const chunk of chunks) {
    const { tags, points } = readSeriesChunk(chunk);
    const prefix = [tags.station, tags.gateway, tags.sensor, tags.quantity, tags.unit].map(csvText);
    text += points
      .map((point) =>
        csvRecord([csvText(iso(point.time)), ...prefix, csvNumber(point.value), csvNumber(point.qc)]),
      )
      .join('');
  }
  return text;
}
