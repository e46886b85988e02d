import type { GatewayErrorCode } from '../../errors.js';
import { splitCells } from './csv-cells.js';
import { toa5TimeMs } from './toa5-time.js';

/** The four header lines of a TOA5 table. */
export interface Toa5Header {
  station: string;
  loggerModel: string;
  loggerSerial: string;
  os: string;
  program: string;
  signature: string;
  table: string;
  /** Column names, `TIMESTAMP` and `RECORD` first. */
  fields: string[];
  units: string[];
  processing: string[];
}

export interface Toa5Row {
  /** TIMESTAMP converted to UTC, epoch milliseconds. */
  timeMs: number;
  record: number;
  /** Every cell, aligned with the header's fields. */
  cells: string[];
}

export type Toa5ErrorCode = Extract<
  GatewayErrorCode,
  'TOA5_HEADER_INVALID' | 'TOA5_HEADER_MISSING' | 'TOA5_ROW_INVALID'
>;

export type Toa5Event =
  | { kind: 'header'; header: Toa5Header }
  | { kind: 'row'; row: Toa5Row }
  | { kind: 'error'; code: Toa5ErrorCode; reason: string };

type Phase = 'no-header' | 'fields' | 'units' | 'processing' | 'rows';

const MAX_LINE_CHARS = 16_384;

function show(line: string): string {
  return JSON.stringify(line.length > 80 ? `${line.slice(0, 80)}...` : line);
}

/**
 * Reads a TOA5 table line by line: the environment line (`"TOA5",station,...`), field names, units,
 * processing, then data rows. A new environment line at any point starts a new header, as when the
 * logger restarts or LoggerNet begins a new file. Pure: no I/O, never throws.
 */
export class Toa5Parser {
  private phase: Phase = 'no-header';
  private partial: Partial<Toa5Header> = {};
  private header: Toa5Header | undefined;

  /** @param offsetMinutes the logger clock's offset from UTC, for TIMESTAMP. */
  constructor(private readonly offsetMinutes: number) {}

  get current(): Toa5Header | undefined {
    return this.header;
  }

  /** Forgets the header: the next line must start a new one (a file truncated or replaced). */
  reset(): void {
    this.phase = 'no-header';
    this.partial = {};
    this.header = undefined;
  }

  push(rawLine: string): Toa5Event | undefined {
    const line = rawLine.replace(/^\uFEFF/, '').trim();
    if (line === '') return undefined;
    if (line.length > MAX_LINE_CHARS)
      return this.error('TOA5_ROW_INVALID', `line longer than ${MAX_LINE_CHARS} characters`);
    const cells = splitCells(line);
    if (cells === undefined) {
      const code =
        this.phase === 'rows' || this.phase === 'no-header' ? 'TOA5_ROW_INVALID' : 'TOA5_HEADER_INVALID';
      return this.fail(code, `unbalanced quotes in ${show(line)}`);
    }
    if (cells[0] === 'TOA5') return this.onEnvironment(cells);
    switch (this.phase) {
      case 'no-header':
        return this.error('TOA5_HEADER_MISSING', `row before any TOA5 header: ${show(line)}`);
      case 'fields':
        return this.onFields(cells);
      case 'units':
        return this.onHeaderLine(cells, 'units', 'processing');
      case 'processing':
        return this.onHeaderLine(cells, 'processing', 'rows');
      case 'rows':
        return this.onRow(cells, line);
    }
  }

  private onEnvironment(cells: string[]): Toa5Event | undefined {
    const [
      ,
      station = '',
      loggerModel = '',
      loggerSerial = '',
      os = '',
      program = '',
      signature = '',
      table = '',
    ] = cells;
    this.header = undefined;
    this.partial = { station, loggerModel, loggerSerial, os, program, signature, table };
    this.phase = 'fields';
    return undefined;
  }

  private onFields(fields: string[]): Toa5Event | undefined {
    if (fields[0] !== 'TIMESTAMP' || fields[1] !== 'RECORD') {
      return this.fail(
        'TOA5_HEADER_INVALID',
        `field names must begin with TIMESTAMP, RECORD; got ${fields.slice(0, 3).join(', ')}`,
      );
    }
    this.partial.fields = fields;
    this.phase = 'units';
    return undefined;
  }

  private onHeaderLine(cells: string[], key: 'units' | 'processing', next: Phase): Toa5Event | undefined {
    const fields = this.partial.fields ?? [];
    if (cells.length !== fields.length) {
      return this.fail(
        'TOA5_HEADER_INVALID',
        `${key} line has ${cells.length} cells for ${fields.length} fields`,
      );
    }
    this.partial[key] = cells;
    this.phase = next;
    if (next !== 'rows') return undefined;
    this.header = {
      ...this.partial,
      fields,
      units: this.partial.units ?? [],
      processing: cells,
    } as Toa5Header;
    return { kind: 'header', header: this.header };
  }

  private onRow(cells: string[], line: string): Toa5Event {
    const fields = this.header?.fields ?? [];
    if (cells.length !== fields.length) {
      return this.error(
        'TOA5_ROW_INVALID',
        `row has ${cells.length} cells for ${fields.length} fields: ${show(line)}`,
      );
    }
    const timeMs = toa5TimeMs(cells[0] ?? '', this.offsetMinutes);
    if (timeMs === undefined)
      return this.error('TOA5_ROW_INVALID', `TIMESTAMP ${show(cells[0] ?? '')} is not a date and time`);
    const record = cells[1] ?? '';
    if (!/^\d{1,10}$/.test(record))
      return this.error('TOA5_ROW_INVALID', `RECORD ${show(record)} is not a record number`);
    return { kind: 'row', row: { timeMs, record: Number(record), cells } };
  }

  /** A broken header: wait for the next environment line. */
  private fail(code: Toa5ErrorCode, reason: string): Toa5Event {
    if (code === 'TOA5_HEADER_INVALID') this.reset();
    return this.error(code, reason);
  }

  private error(code: Toa5ErrorCode, reason: string): Toa5Event {
    return { kind: 'error', code, reason };
  }
}
