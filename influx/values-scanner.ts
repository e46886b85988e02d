import { CellKind, RowTexts } from './row-texts.js';

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const PLUS = 0x2b;

/**
 * Digits a decimal text may have and still be JavaScript's own text of its double: two distinct
 * decimals of at most 15 significant digits never round to the same double (DBL_DIG), so such a
 * text is the shortest that reads back as its value, which is what String(n) writes.
 */
const PLAIN_DIGITS = 15;
/** String(n) writes 0.000001 in full but 1e-7 with an exponent. */
const PLAIN_LEADING_ZEROS = 5;

function isDigit(code: number): boolean {
  return code >= ZERO && code <= NINE;
}

/** Growable columns of cells, as the scanner finds them. */
class CellColumns {
  starts = new Int32Array(4096);
  ends = new Int32Array(4096);
  kinds = new Uint8Array(4096);
  count = 0;

  add(start: number, end: number, kind: CellKind): void {
    if (this.count === this.starts.length) this.grow();
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.kinds[this.count] = kind;
    this.count++;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    starts.set(this.starts);
    const ends = new Int32Array(size);
    ends.set(this.ends);
    const kinds = new Uint8Array(size);
    kinds.set(this.kinds);
    this.starts = starts;
    this.ends = ends;
    this.kinds = kinds;
  }
}

class RowStarts {
  cells = new Int32Array(1024);
  count = 0;

  add(cell: number): void {
    if (this.count === this.cells.length) {
      const larger = new Int32Array(this.cells.length * 2);
      larger.set(this.cells);
      this.cells = larger;
    }
    this.cells[this.count++] = cell;
  }
}

/**
 * The kind of the cell scanCell scanned last. Returned beside the end through this variable rather
 * than in an object, as a chunk has tens of thousands of cells.
 */
let scannedKind: CellKind = CellKind.notNumber;

/** Where a number starting at `start` ends (its kind in scannedKind); -1 when it is no JSON number. */
function scanNumber(text: string, start: number): number {
  let at = start;
  if (text.charCodeAt(at) === MINUS) at++;
  const intStart = at;
  const first = text.charCodeAt(at);
  if (first === ZERO) at++;
  else if (first > ZERO && first <= NINE) while (isDigit(text.charCodeAt(at))) at++;
  else return -1;
  const intDigits = first === ZERO ? 0 : at - intStart;
  let fraction = 0;
  let leadingZeros = 0;
  let lastFractionDigit = ZERO;
  if (text.charCodeAt(at) === DOT) {
    at++;
    const fractionStart = at;
    while (isDigit(text.charCodeAt(at))) at++;
    fraction = at - fractionStart;
    if (fraction === 0) return -1;
    while (leadingZeros < fraction && text.charCodeAt(fractionStart + leadingZeros) === ZERO) leadingZeros++;
    lastFractionDigit = text.charCodeAt(at - 1);
  }
  let exponent = false;
  const e = text.charCodeAt(at);
  if (e === LOWER_E || e === UPPER_E) {
    exponent = true;
    at++;
    const sign = text.charCodeAt(at);
    if (sign === PLUS || sign === MINUS) at++;
    const exponentStart = at;
    while (isDigit(text.charCodeAt(at))) at++;
    if (at === exponentStart) return -1;
  }
  const negativeZero = start !== intStart && intDigits === 0 && fraction === 0;
  const plain =
    !exponent &&
    !negativeZero &&
    intDigits + fraction <= PLAIN_DIGITS &&
    (fraction === 0 ||
      (lastFractionDigit !== ZERO && (intDigits > 0 || leadingZeros <= PLAIN_LEADING_ZEROS)));
  if (!plain) scannedKind = CellKind.otherNumber;
  else scannedKind = fraction === 0 ? CellKind.plainInteger : CellKind.plainDecimal;
  return at;
}

function skipSpace(text: string, at: number): number {
  let next = at;
  for (;;) {
    const code = text.charCodeAt(next);
    if (code !== SPACE && code !== TAB && code !== LF && code !== CR) return next;
    next++;
  }
}

/** Where the cell at `at` ends (its kind in scannedKind); -1 for what this scanner leaves to JSON.parse. */
function scanCell(text: string, at: number): number {
  if (text.startsWith('null', at)) {
    scannedKind = CellKind.notNumber;
    return at + 4;
  }
  return scanNumber(text, at);
}

/**
 * Scans the `values` array of a series that starts at `start` (its `[`): rows of numbers and nulls,
 * as a readings query returns. Strings, booleans, nested values or anything malformed give
 * undefined, and the caller leaves the whole line to JSON.parse: the scanner needs to be right
 * only about what it accepts.
 */
export function scanValues(text: string, start: number): { end: number; rows: RowTexts } | undefined {
  const cells = new CellColumns();
  const rows = new RowStarts();
  let at = skipSpace(text, start + 1);
  if (text.charCodeAt(at) === CLOSE) return { end: at + 1, rows: rowTexts(text, rows, cells) };
  for (;;) {
    if (text.charCodeAt(at) !== OPEN) return undefined;
    rows.add(cells.count);
    at = skipSpace(text, at + 1);
    if (text.charCodeAt(at) !== CLOSE) {
      for (;;) {
        const end = scanCell(text, at);
        if (end < 0) return undefined;
        cells.add(at, end, scannedKind);
        at = skipSpace(text, end);
        const next = text.charCodeAt(at);
        if (next === CLOSE) break;
        if (next !== COMMA) return undefined;
        at = skipSpace(text, at + 1);
      }
    }
    at = skipSpace(text, at + 1);
    const next = text.charCodeAt(at);
    if (next === CLOSE) return { end: at + 1, rows: rowTexts(text, rows, cells) };
    if (next !== COMMA) return undefined;
    at = skipSpace(text, at + 1);
  }
}

function rowTexts(text: string, rows: RowStarts, cells: CellColumns): RowTexts {
  const rowCells = new Int32Array(rows.count + 1);
  rowCells.set(rows.cells.subarray(0, rows.count));
  rowCells[rows.count] = cells.count;
  return new RowTexts(text, rows.count, rowCells, cells.starts, cells.ends, cells.kinds);
}
