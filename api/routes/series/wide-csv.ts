import { csvNumber, csvRecord, csvText } from '../../views/csv.js';
import { isoTime } from '../../views/iso-time.js';
import { csvFailureLine, type FailureReport } from './stream-failure.js';
import type { WideColumn } from './wide-columns.js';
import type { WideRow } from './wide-rows.js';

/** The column names of a wide CSV: `time`, then each series' value and qc columns side by side. */
export function wideHeader(columns: readonly WideColumn[]): string[] {
  return ['time', ...columns.flatMap((column) => [column.value, column.qc])];
}

export function wideCsvRecord(row: WideRow): string {
  const cells = row.cells.flatMap((point) => [csvNumber(point?.value ?? null), csvNumber(point?.qc ?? null)]);
  return csvRecord([csvText(isoTime(row.time)), ...cells]);
}

const ROWS_PER_YIELD = 1_000;

/** The wide CSV, a thousand rows per string; a failure after the header ends it with `# error:`. */
export async function* encodeWideCsv(
  rows: AsyncIterable<WideRow>,
  columns: readonly WideColumn[],
  preamble: string,
  onFailure: FailureReport,
): AsyncGenerator<string> {
  yield preamble + csvRecord(wideHeader(columns).map(csvText));
  let batch = '';
  let count = 0;
  try {
    for await (const row of rows) {
      batch += wideCsvRecord(row);
      if (++count % ROWS_PER_YIELD === 0) {
        yield batch;
        batch = '';
      }
    }
  } catch (error) {
    yield batch + csvFailureLine(onFailure(error));
    return;
  }
  if (batch !== '') yield batch;
}
