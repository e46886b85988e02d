/**
 * CSV cells for every CSV the API writes. Text cells are defused against CSV injection as OWASP
 * advises: a cell a spreadsheet would read as a formula (starting with =, +, -, @, tab or carriage
 * return) gets a leading `'` and quotes. Numbers go out as numbers, so a negative reading stays a number.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvText(text: string): string {
  const formula = FORMULA_START.test(text);
  const cell = formula ? `'${text}` : text;
  // RFC 4180: quoted, with quotes doubled, when it holds the separator, a quote or a line break.
  return formula || NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** A number, or an empty cell for null (no data). */
export function csvNumber(value: number | null): string {
  return value === null ? '' : String(value);
}

/** One record of cells already made by csvText or csvNumber, ended with CRLF as RFC 4180 has it. */
export function csvRecord(cells: readonly string[]): string {
  return `${cells.join(',')}\r\n`;
}
