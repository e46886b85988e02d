import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bodyLines } from '../../../influx/body-lines.js';
import {
  firstRows,
  type QuerySeries,
  rowCount,
  rowTextsOf,
  seriesOf,
  seriesOfLine,
} from '../../../influx/query-response.js';
import { CellKind } from '../../../influx/row-texts.js';
import { numberText, responseLine } from './response-lines.js';

type Outcome = { series: QuerySeries[] } | { error: { name: string; message: string; code?: unknown } };

function outcome(read: () => QuerySeries[]): Outcome {
  try {
    return { series: read() };
  } catch (error) {
    const { name, message } = error as Error;
    return { error: { name, message, code: (error as { code?: unknown }).code } };
  }
}

const QUERY = 'SELECT value, qc FROM reading';

/** What the series routes read of a cell: the number, or null for anything else. */
function numberOrNull(cell: unknown): number | null {
  return typeof cell === 'number' ? cell : null;
}

describe('seriesOfLine', () => {
  it('reads every line as seriesOf(JSON.parse(line)) does, errors included', () => {
    fc.assert(
      fc.property(responseLine, (line) => {
        const scanned = outcome(() => seriesOfLine(line, QUERY));
        expect(scanned).toEqual(outcome(() => seriesOf(JSON.parse(line), QUERY)));
      }),
      { numRuns: 3000 },
    );
  });

  it("keeps each scanned cell's number as JSON.parse reads it, and cuts rows as slice does", () => {
    fc.assert(
      fc.property(responseLine, fc.nat(14), (line, cut) => {
        const read = outcome(() => seriesOfLine(line, QUERY));
        if (!('series' in read)) return;
        for (const series of read.series) {
          const rows = rowTextsOf(series);
          if (rows === undefined) continue;
          expect(rowCount(series)).toBe(series.values.length);
          const width = Math.max(0, ...series.values.map((row) => row.length));
          for (const [r, row] of series.values.entries()) {
            for (let column = -1; column <= width; column++) {
              expect(rows.numberAt(r, column)).toBe(numberOrNull(row[column]));
              const cell = rows.cellAt(r, column);
              const kind = rows.kindOf(cell);
              if (kind === CellKind.plainInteger || kind === CellKind.plainDecimal) {
                // Plain: the text is what JSON.stringify writes of the number, so it may be copied.
                expect(rows.source.slice(rows.startOf(cell), rows.endOf(cell))).toBe(
                  JSON.stringify(row[column]),
                );
              }
            }
          }
          const first = firstRows(series, cut);
          expect(first.values).toEqual(series.values.slice(0, cut));
          expect(rowCount(first)).toBe(Math.min(cut, series.values.length));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('calls a number plain only when its text is what JSON.stringify writes of it', () => {
    fc.assert(
      fc.property(numberText, (text) => {
        const line = `{"results":[{"series":[{"name":"r","columns":["v"],"values":[[${text}]]}]}]}`;
        const [series] = seriesOfLine(line, QUERY);
        const rows = series === undefined ? undefined : rowTextsOf(series);
        if (rows === undefined) throw new Error(`not scanned: ${line}`);
        const kind = rows.kindOf(rows.cellAt(0, 0));
        const plain = kind === CellKind.plainInteger || kind === CellKind.plainDecimal;
        if (plain) expect(text).toBe(JSON.stringify(JSON.parse(text)));
        expect(kind).not.toBe(CellKind.notNumber);
      }),
      { numRuns: 5000 },
    );
  });

  it('scans the usual answer of a readings query instead of parsing its rows', () => {
    const line =
      '{"results":[{"statement_id":0,"series":[{"name":"reading","tags":{"sensor":"s"},' +
      '"columns":["time","value","qc"],"values":[[1735689600000,812.4,1],[1735689900000,null,2]],' +
      '"partial":true}],"partial":true}]}';
    const [series] = seriesOfLine(line, QUERY);
    const rows = series === undefined ? undefined : rowTextsOf(series);
    expect(rows?.rows).toBe(2);
    expect(rows?.numberAt(0, 1)).toBe(812.4);
    expect(series?.values).toEqual([
      [1735689600000, 812.4, 1],
      [1735689900000, null, 2],
    ]);
  });

  it('leaves a copy with other values unscanned, so its rows cannot disagree with them', () => {
    const line = '{"results":[{"series":[{"name":"r","columns":["time"],"values":[[1],[2]]}]}]}';
    const [series] = seriesOfLine(line, QUERY);
    if (series === undefined) throw new Error('no series');
    const copy = { ...series, values: [[3]] };
    expect(rowTextsOf(copy)).toBeUndefined();
    expect(rowCount(copy)).toBe(1);
  });

  it('reads a body cut into reads anywhere (inside numbers, strings, characters) as whole lines parsed', async () => {
    await fc.assert(
      fc.asyncProperty(
        // A line break ends a chunk's line, so a line has none inside.
        fc.array(
          responseLine.filter((line) => !line.includes('\n')),
          { minLength: 1, maxLength: 3 },
        ),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (lines, cuts) => {
          const bytes = new TextEncoder().encode(lines.join('\n'));
          const ends = [...new Set([...cuts.map((cut) => cut % (bytes.length + 1)), bytes.length])];
          ends.sort((a, b) => a - b);
          const body = new ReadableStream<Uint8Array>({
            start(controller) {
              let from = 0;
              for (const end of ends) {
                controller.enqueue(bytes.slice(from, end));
                from = end;
              }
              controller.close();
            },
          });
          const read: Outcome[] = [];
          for await (const line of bodyLines(body)) read.push(outcome(() => seriesOfLine(line, QUERY)));
          expect(read).toEqual(lines.map((line) => outcome(() => seriesOf(JSON.parse(line), QUERY))));
        },
      ),
      { numRuns: 300 },
    );
  });
});
