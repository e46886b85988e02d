/** What a cell of a row holds, as far as a number reader cares. */
export const CellKind = {
  /** null, a missing cell, or anything but a number: what `typeof cell === 'number'` refuses. */
  notNumber: 0,
  /** An integer whose text is exactly JavaScript's own text of its value (String(n)). */
  plainInteger: 1,
  /** A decimal fraction whose text is exactly JavaScript's own text of its value. */
  plainDecimal: 2,
  /** A number whose text may differ from JavaScript's (exponent, -0, trailing zeros, many digits). */
  otherNumber: 3,
} as const;

export type CellKind = (typeof CellKind)[keyof typeof CellKind];

/** 0x30, the code of the digit 0. */
const ZERO = 48;

/**
 * The rows of one series chunk as InfluxDB wrote them: where each cell's JSON text lies in the
 * response line, and what kind of number it is. An encoder copies a plain number's text instead of
 * parsing it into a double and formatting it back, which was most of the API's cost on a raw year.
 */
export class RowTexts {
  constructor(
    /** The response line the cells are slices of. */
    readonly source: string,
    readonly rows: number,
    /** Index of each row's first cell in starts/ends/kinds; one more entry than rows. */
    private readonly rowCells: Int32Array,
    private readonly starts: Int32Array,
    private readonly ends: Int32Array,
    private readonly kinds: Uint8Array,
  ) {}

  /** Where row[column] is among the cells, or -1 when the row has no such column (row[-1] included). */
  cellAt(row: number, column: number): number {
    const cell = (this.rowCells[row] as number) + column;
    return column < 0 || cell >= (this.rowCells[row + 1] as number) ? -1 : cell;
  }

  /** The kind of a cell from cellAt; -1 (no cell) is no number, as undefined is not. */
  kindOf(cell: number): CellKind {
    return cell < 0 ? CellKind.notNumber : (this.kinds[cell] as CellKind);
  }

  /** Where a cell's text starts in the source. */
  startOf(cell: number): number {
    return this.starts[cell] as number;
  }

  /** Where a cell's text ends in the source (exclusive). */
  endOf(cell: number): number {
    return this.ends[cell] as number;
  }

  /** row[column] as JSON.parse reads it when it is a number; null otherwise. */
  numberAt(row: number, column: number): number | null {
    return this.numberOf(this.cellAt(row, column));
  }

  /** A cell from cellAt as JSON.parse reads it when it is a number; null otherwise. */
  numberOf(cell: number): number | null {
    const kind = this.kindOf(cell);
    if (kind === CellKind.notNumber) return null;
    const start = this.starts[cell] as number;
    const end = this.ends[cell] as number;
    if (kind !== CellKind.plainInteger) return Number(this.source.slice(start, end));
    // At most 15 digits (what makes it plain), so the sum is exact.
    const { source } = this;
    const negative = source.charCodeAt(start) === 0x2d;
    let value = 0;
    for (let at = negative ? start + 1 : start; at < end; at++) {
      value = value * 10 + (source.charCodeAt(at) - ZERO);
    }
    return negative ? -value : value;
  }

  /** The first `count` rows (a page that ends inside a chunk). */
  firstRows(count: number): RowTexts {
    if (count >= this.rows) return this;
    const { source, rowCells, starts, ends, kinds } = this;
    return new RowTexts(source, Math.max(0, count), rowCells, starts, ends, kinds);
  }
}
