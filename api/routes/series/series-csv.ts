import type { QuerySeries } from '../../../influx/index.js';
import { forEachPoint, readSeriesHead } from '../../queries/series-chunks.js';
import { type BodyPart, ByteText } from '../../views/byte-text.js';
import { csvNumber, csvRecord, csvText } from '../../views/csv.js';
import { isoTime } from '../../views/iso-time.js';
import { csvFailureLine, type FailureReport } from './stream-failure.js';

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

/** What a CSV may carry around its rows: `#` lines before the column names and after the last row. */
export interface CsvFrame {
  preamble?: string;
  /** Called once the rows are out, e.g. for `# next: URL`; not after a failure. */
  closing?: () => string;
}

/**
 * The CSV document, one part per chunk, so a long range never sits in memory whole. If the
 * source fails after the header has gone out, the document ends with `# error: CODE detail`.
 */
export async function* encodeSeriesCsv(
  chunks: AsyncIterable<QuerySeries>,
  onFailure: FailureReport,
  frame: CsvFrame = {},
): AsyncGenerator<BodyPart> {
  yield (frame.preamble ?? '') + csvRecord(CSV_COLUMNS.map(csvText));
  const out = new ByteText();
  try {
    for await (const chunk of chunks) {
      writeRows(chunk, out);
      yield out.take();
    }
  } catch (error) {
    yield csvFailureLine(onFailure(error));
    return;
  }
  const closing = frame.closing?.() ?? '';
  if (closing !== '') yield closing;
}

/** The time cell: csvText's own answer, which for a four-digit year (starting with a digit) is the time as it is. */
function timeCell(time: number): string {
  const text = isoTime(time);
  const first = text.charCodeAt(0);
  return first >= 48 && first <= 57 ? text : csvText(text);
}

/** The rows of a chunk, cells as csvText and csvNumber make them, row by row straight into bytes. */
function writeRows(chunk: QuerySeries, out: ByteText): void {
  const { tags } = readSeriesHead(chunk);
  // Tags come from stored data, which the ingest may have accepted under older, looser rules.
  const prefix = [tags.station, tags.gateway, tags.sensor, tags.quantity, tags.unit].map(csvText).join(',');
  forEachPoint(chunk, (time, value, qc) => {
    out.append(`${timeCell(time)},${prefix},${csvNumber(value)},${csvNumber(qc)}\r\n`);
  });
}
