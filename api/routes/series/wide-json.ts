import { isoTime } from '../../views/iso-time.js';
import type { FailureReport } from './stream-failure.js';
import type { WideColumn } from './wide-columns.js';
import { wideHeader } from './wide-csv.js';
import type { WideRow } from './wide-rows.js';

export interface WideDocumentHeader {
  station: string;
  from: string;
  to: string;
  every: string;
  fn: string;
}

const ROWS_PER_YIELD = 1_000;

function rowJson(row: WideRow): string {
  return JSON.stringify([
    isoTime(row.time),
    ...row.cells.flatMap((point) => [point?.value ?? null, point?.qc ?? null]),
  ]);
}

/**
 * `{station, from, to, every, fn, layout: "wide", columns, series, rows}`: `columns` names the cells
 * of every row, `series` says which columns belong to which series. Streamed; a failure after the
 * head closes `rows` and adds an `error` member, so the document stays valid JSON.
 */
export async function* encodeWideJson(
  rows: AsyncIterable<WideRow>,
  columns: readonly WideColumn[],
  header: WideDocumentHeader,
  onFailure: FailureReport,
): AsyncGenerator<string> {
  const series = columns.map(({ tags, value, qc }) => ({ ...tags, columns: { value, qc } }));
  const head = { ...header, layout: 'wide', columns: wideHeader(columns), series };
  yield `${JSON.stringify(head).slice(0, -1)},"rows":[`;
  let batch: string[] = [];
  let count = 0;
  const flush = () => {
    const text = `${count > batch.length ? ',' : ''}${batch.join(',')}`;
    batch = [];
    return text;
  };
  try {
    for await (const row of rows) {
      batch.push(rowJson(row));
      if (++count % ROWS_PER_YIELD === 0) yield flush();
    }
  } catch (error) {
    yield `${batch.length > 0 ? flush() : ''}],"error":${JSON.stringify(onFailure(error))}}`;
    return;
  }
  yield `${batch.length > 0 ? flush() : ''}]}`;
}
