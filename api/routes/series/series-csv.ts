import { type QuerySeries, type RowTexts, rowTextsOf } from '../../../influx/index.js';
import { forEachPoint, pointColumns, readSeriesHead } from '../../queries/series-chunks.js';
import { type BodyPart, ByteText } from '../../views/byte-text.js';
import { csvNumber, csvRecord, csvText } from '../../views/csv.js';
import { isoTime, isPlainTime } from '../../views/iso-time.js';
import { writeNumberCell } from '../../views/number-cell.js';
import { numberText } from '../../views/number-text.js';
import { csvFailureLine, type FailureReport } from './stream-failure.js';

/** Times from 0000-01-01 up to 10000-01-01 exclusive: those isoTime writes with a four-digit year. */
const MIN_FOUR_DIGIT_YEAR = -62_167_219_200_000;
const PAST_FOUR_DIGIT_YEAR = 253_402_300_800_000;

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

/** csvNumber(value), with the text of a finite number remembered as numberText does. */
function numberCell(value: number | null): string {
  if (value === null) return '';
  return Number.isFinite(value) ? numberText(value) : csvNumber(value);
}

/** The rows of a chunk, cells as csvText and csvNumber make them, row by row straight into bytes. */
function writeRows(chunk: QuerySeries, out: ByteText): void {
  const { tags } = readSeriesHead(chunk);
  // Tags come from stored data, which the ingest may have accepted under older, looser rules.
  const cells = [tags.station, tags.gateway, tags.sensor, tags.quantity, tags.unit].map(csvText).join(',');
  const middle = Buffer.from(`,${cells},`, 'utf8');
  const rows = rowTextsOf(chunk);
  if (rows !== undefined) {
    writeScannedRows(chunk, rows, middle, out);
    return;
  }
  forEachPoint(chunk, (time, value, qc) => {
    writeTime(time, out);
    out.bytes(middle);
    out.ascii(numberCell(value));
    out.ascii(',');
    out.ascii(numberCell(qc));
    out.ascii('\r\n');
  });
}

/** writeRows for scanned rows: the same text, numbers copied as InfluxDB wrote them where they can be. */
function writeScannedRows(chunk: QuerySeries, rows: RowTexts, middle: Buffer, out: ByteText): void {
  const { timeAt, valueAt, qcAt } = pointColumns(chunk);
  for (let row = 0; row < rows.rows; row++) {
    const time = rows.numberAt(row, timeAt);
    if (time === null) continue;
    writeTime(time, out);
    out.bytes(middle);
    writeNumberCell(out, rows, row, valueAt, numberCell);
    out.ascii(',');
    writeNumberCell(out, rows, row, qcAt, numberCell);
    out.ascii('\r\n');
  }
}

function writeTime(time: number, out: ByteText): void {
  // An ISO time needs no quoting unless its year is outside 0000-9999 (a leading sign).
  if (isPlainTime(time) && time >= MIN_FOUR_DIGIT_YEAR && time < PAST_FOUR_DIGIT_YEAR) out.isoTime(time);
  else out.text(csvText(isoTime(time)));
}
