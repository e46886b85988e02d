import { type QuerySeries, type RowTexts, rowTextsOf } from '../../../influx/index.js';
import {
  forEachPoint,
  pointColumns,
  readSeriesHead,
  type SeriesHead,
  type SeriesTags,
} from '../../queries/series-chunks.js';
import { type BodyPart, ByteText } from '../../views/byte-text.js';
import { isoTime } from '../../views/iso-time.js';
import { writeJsonNumberCell } from '../../views/number-cell.js';
import { numberText } from '../../views/number-text.js';
import { GapTracker } from './gaps.js';
import type { SeriesDocumentHeader } from './series-schema.js';
import type { FailureReport } from './stream-failure.js';

/** The sampling interval a gateway announced for a series, if it did. */
export type IntervalLookup = (tags: SeriesTags) => number | undefined;

interface OpenSeries {
  key: string;
  points: number;
  gaps: GapTracker | undefined;
}

function openSeries(chunk: SeriesHead, intervalMs: number | undefined): string {
  const { station, gateway, sensor, quantity, unit } = chunk.tags;
  const head = JSON.stringify({ station, gateway, sensor, quantity, unit, intervalMs: intervalMs ?? null });
  return `${head.slice(0, -1)},"points":[`;
}

function closeSeries(open: OpenSeries): string {
  if (open.gaps === undefined) return ']}';
  return `],"gaps":${JSON.stringify(open.gaps.gaps.map(([from, to]) => [isoTime(from), isoTime(to)]))}}`;
}

/**
 * The points as JSON.stringify({time, value, qc}) writes them, without its generic walk and straight
 * into bytes: a raw year is a hundred thousand points, and this loop is most of what the API adds
 * to the query's own time. Rows InfluxDB's answer was scanned into keep their numbers' text.
 */
function writePoints(open: OpenSeries, series: QuerySeries, out: ByteText): void {
  const rows = rowTextsOf(series);
  if (rows !== undefined) {
    writeScannedPoints(open, series, rows, out);
    return;
  }
  let separator = open.points > 0 ? ',{"time":"' : '{"time":"';
  let points = 0;
  forEachPoint(series, (time, value, qc) => {
    open.gaps?.add(time);
    out.ascii(separator);
    out.isoTime(time);
    out.ascii('","value":');
    out.ascii(numberText(value));
    out.ascii(',"qc":');
    out.ascii(numberText(qc));
    out.ascii('}');
    separator = ',{"time":"';
    points++;
  });
  open.points += points;
}

/** writePoints for scanned rows: the same text, numbers copied as InfluxDB wrote them where they can be. */
function writeScannedPoints(open: OpenSeries, series: QuerySeries, rows: RowTexts, out: ByteText): void {
  const { timeAt, valueAt, qcAt } = pointColumns(series);
  let points = open.points;
  for (let row = 0; row < rows.rows; row++) {
    const time = rows.numberAt(row, timeAt);
    if (time === null) continue;
    open.gaps?.add(time);
    out.ascii(points > 0 ? ',{"time":"' : '{"time":"');
    out.isoTime(time);
    out.ascii('","value":');
    writeJsonNumberCell(out, rows, row, valueAt);
    out.ascii(',"qc":');
    writeJsonNumberCell(out, rows, row, qcAt);
    out.ascii('}');
    points++;
  }
  open.points = points;
}

/**
 * The JSON document (see SeriesDocumentSchema), one part per chunk. Raw series carry a `gaps`
 * list when the gateway announced the sensor's interval; aggregated ones show gaps as null values.
 * If the source fails after the head has gone out, the open series is closed and the document ends
 * with an `error` member, so it stays valid JSON that says it is incomplete. `closing` adds members
 * known only at the end (a raw page's `next`).
 */
export async function* encodeSeriesJson(
  chunks: AsyncIterable<QuerySeries>,
  header: SeriesDocumentHeader,
  intervalOf: IntervalLookup,
  onFailure: FailureReport,
  closing: () => Record<string, unknown> = () => ({}),
): AsyncGenerator<BodyPart> {
  const raw = header.every === null;
  yield `${JSON.stringify(header).slice(0, -1)},"series":[`;
  let open: OpenSeries | undefined;
  const out = new ByteText();
  try {
    for await (const series of chunks) {
      const chunk = readSeriesHead(series);
      if (open?.key !== chunk.key) {
        const intervalMs = intervalOf(chunk.tags);
        out.text(`${open ? `${closeSeries(open)},` : ''}${openSeries(chunk, intervalMs)}`);
        const tracksGaps = raw && intervalMs !== undefined;
        open = { key: chunk.key, points: 0, gaps: tracksGaps ? new GapTracker(intervalMs) : undefined };
      }
      writePoints(open, series, out);
      yield out.take();
    }
  } catch (error) {
    yield `${open ? closeSeries(open) : ''}],"error":${JSON.stringify(onFailure(error))}}`;
    return;
  }
  const members = Object.entries(closing()).map(
    ([name, value]) => `,${JSON.stringify(name)}:${JSON.stringify(value)}`,
  );
  yield `${open ? closeSeries(open) : ''}]${members.join('')}}`;
}
