import { appendFile, writeFile } from 'node:fs/promises';
import { type Toa5CellFault, Toa5TableWriter, type Toa5TableWriterOptions } from './toa5-table-writer.js';

export interface Toa5FileWriterOptions extends Toa5TableWriterOptions {
  path: string;
}

/**
 * Writes a TOA5 file as LoggerNet does when it collects a table: the header when the file is
 * created, then rows appended as they come. For tests and `fieldstation simulate`.
 */
export class Toa5FileWriter {
  private readonly table: Toa5TableWriter;

  constructor(private readonly options: Toa5FileWriterOptions) {
    this.table = new Toa5TableWriter(options);
  }

  /** Creates the file (or truncates it: a new file) with the header. */
  create(): Promise<void> {
    return writeFile(this.options.path, lines(this.table.header()));
  }

  /** Appends `count` records `intervalMs` apart, the first stamped `fromMs`. */
  appendRows(count: number, fromMs: number, intervalMs: number): Promise<void> {
    const rows = Array.from({ length: count }, (_, i) => this.table.row(fromMs + i * intervalMs));
    return appendFile(this.options.path, lines(rows));
  }

  appendMalformedRow(timeMs: number): Promise<void> {
    return appendFile(this.options.path, lines([this.table.malformedRow(timeMs)]));
  }

  /** Appends part of a row without its line end, as a write caught halfway. */
  appendPartial(text: string): Promise<void> {
    return appendFile(this.options.path, text);
  }

  skipRecords(count: number): void {
    this.table.skipRecords(count);
  }

  get nextRecord(): number {
    return this.table.nextRecord;
  }

  setFault(column: string, fault: Toa5CellFault | undefined): void {
    this.table.setFault(column, fault);
  }
}

function lines(rows: readonly string[]): string {
  return rows.map((row) => `${row}\r\n`).join('');
}
