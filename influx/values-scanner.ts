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
  let code = text.charCodeAt(at);
  if (code === MINUS) code = text.charCodeAt(++at);
  // Significant digits before the point; a leading 0 is none.
  let digits = 0;
  if (code === ZERO) code = text.charCodeAt(++at);
  else if (code > ZERO && code <= NINE) {
    do {
      digits++;
      code = text.charCodeAt(++at);
    } while (code >= ZERO && code <= NINE);
  } else return -1;
  let kind: CellKind = CellKind.plainInteger;
  if (code === DOT) {
    code = text.charCodeAt(++at);
    const fractionStart = at;
    let last = 0;
    while (code >= ZERO && code <= NINE) {
      last = code;
      code = text.charCodeAt(++at);
    }
    if (at === fractionStart) return -1;
    kind =
      last === ZERO || (digits === 0 && !fixedFraction(text, fractionStart))
        ? CellKind.otherNumber
        : CellKind.plainDecimal;
    digits += at - fractionStart;
  } else if (digits === 0 && at - start > 1) {
    kind = CellKind.otherNumber; // -0: JSON.stringify writes 0
  }
  if (code === LOWER_E || code === UPPER_E) {
    code = text.charCodeAt(++at);
    if (code === PLUS || code === MINUS) code = text.charCodeAt(++at);
    const exponentStart = at;
    while (code >= ZERO && code <= NINE) code = text.charCodeAt(++at);
    if (at === exponentStart) return -1;
    kind = CellKind.otherNumber;
  }
  scannedKind = digits > PLAIN_DIGITS ? CellKind.otherNumber : kind;
  return at;
}

/** Whether 0.fraction is at least 1e-6, which String(n) writes without an exponent. */
function fixedFraction(text: string, fractionStart: number): boolean {
  for (let at = fractionStart; at <= fractionStart + PLAIN_LEADING_ZEROS; at++) {
    if (text.charCodeAt(at) !== ZERO) return true;
  }
  return false;
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
  if (text.charCodeAt(at) === 0x6e && text.startsWith('null', at)) {
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
