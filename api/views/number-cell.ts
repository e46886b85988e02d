import { CellKind, type RowTexts } from '../../influx/index.js';
import type { ByteText } from './byte-text.js';
import { numberText } from './number-text.js';

/**
 * Writes row[column] of scanned rows as `text(number or null)` would write the parsed cell, but a
 * number whose text InfluxDB already wrote as JavaScript writes it is copied, not parsed and formatted.
 */
export function writeNumberCell(
  out: ByteText,
  rows: RowTexts,
  row: number,
  column: number,
  text: (value: number | null) => string,
): void {
  const cell = rows.cellAt(row, column);
  const kind = rows.kindOf(cell);
  if (kind === CellKind.plainInteger || kind === CellKind.plainDecimal) {
    out.asciiRange(rows.source, rows.startOf(cell), rows.endOf(cell));
  } else {
    out.ascii(text(rows.numberOf(cell)));
  }
}

/** numberText: JSON's text of a cell, null for what is no number. */
export function writeJsonNumberCell(out: ByteText, rows: RowTexts, row: number, column: number): void {
  writeNumberCell(out, rows, row, column, numberText);
}
