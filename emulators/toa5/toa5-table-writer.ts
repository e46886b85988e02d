import type { Toa5Header } from '../../firmware-bridge/drivers/toa5/contract.js';
/** A column of an emulated TOA5 table. */
export interface Toa5Column {
  name: string;
  unit: string;
  /** `Avg`, `Smp`, `Max`, `Tot`, ... */
  processing: string;
}

/** The first header line of a table: what the driver reads back (its Toa5Header) before the columns. */
export type Toa5TableInfo = Pick<
  Toa5Header,
  'station' | 'loggerModel' | 'loggerSerial' | 'os' | 'program' | 'signature' | 'table'
>;

export type Toa5CellFault = 'nan' | 'garbage';

export interface Toa5TableWriterOptions {
  info?: Partial<Toa5TableInfo>;
  columns: readonly Toa5Column[];
  /** The logger clock's offset from UTC in minutes: timestamps are written in its local time. */
  offsetMinutes: number;
  valueOf(column: string, timeMs: number): number;
  firstRecord?: number;
  decimals?: number;
}

const DEFAULT_INFO: Toa5TableInfo = {
  station: 'FS_Emulated',
  loggerModel: 'CR1000X',
  loggerSerial: '12345',
  os: 'CR1000X.Std.07.00',
  program: 'CPU:fieldstation.CR1X',
  signature: '12345',
  table: 'Table1',
};

function quoted(cells: readonly string[]): string {
  return cells.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',');
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `2026-11-27 08:00:00` in the logger's local time. */
export function formatToa5Time(timeMs: number, offsetMinutes: number): string {
  const local = new Date(timeMs + offsetMinutes * 60_000);
  const date = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  const millis = local.getUTCMilliseconds();
  return millis === 0 ? `${date} ${time}` : `${date} ${time}.${pad(millis, 3)}`;
}

/**
 * The lines a Campbell logger writes for one table, as the logger writes them, without I/O: the
 * four header lines and one row per record. Faults: skipped records, NAN or garbage in a column,
 * a malformed row.
 */
export class Toa5TableWriter {
  private record: number;
  private readonly faults = new Map<string, Toa5CellFault>();

  constructor(private readonly options: Toa5TableWriterOptions) {
    this.record = options.firstRecord ?? 0;
  }

  header(): string[] {
    const info = { ...DEFAULT_INFO, ...this.options.info };
    const { columns } = this.options;
    return [
      quoted([
        'TOA5',
        info.station,
        info.loggerModel,
        info.loggerSerial,
        info.os,
        info.program,
        info.signature,
        info.table,
      ]),
      quoted(['TIMESTAMP', 'RECORD', ...columns.map((column) => column.name)]),
      quoted(['TS', 'RN', ...columns.map((column) => column.unit)]),
      quoted(['', '', ...columns.map((column) => column.processing)]),
    ];
  }

  /** The next record's row, stamped `timeMs`. */
  row(timeMs: number): string {
    const cells = this.options.columns.map((column) => this.cell(column.name, timeMs));
    const line = [
      `"${formatToa5Time(timeMs, this.options.offsetMinutes)}"`,
      String(this.record),
      ...cells,
    ].join(',');
    this.record += 1;
    return line;
  }

  /** A row cut short, as a line garbled on the wire or a write torn by a power cut. */
  malformedRow(timeMs: number): string {
    return `"${formatToa5Time(timeMs, this.options.offsetMinutes)}",${this.record},12.`;
  }

  /** The next `count` records are never written: the driver should see a RECORD gap. */
  skipRecords(count: number): void {
    this.record += count;
  }

  /** RECORD starts again at `record`, as after a logger reset. */
  resetRecords(record = 0): void {
    this.record = record;
  }

  get nextRecord(): number {
    return this.record;
  }

  setFault(column: string, fault: Toa5CellFault | undefined): void {
    if (!this.options.columns.some((c) => c.name === column))
      throw new Error(`no column "${column}" in the table`);
    if (fault === undefined) this.faults.delete(column);
    else this.faults.set(column, fault);
  }

  private cell(column: string, timeMs: number): string {
    const fault = this.faults.get(column);
    if (fault === 'nan') return '"NAN"';
    if (fault === 'garbage') return '"#err"';
    const value = this.options.valueOf(column, timeMs);
    return Number.isFinite(value) ? String(Number(value.toFixed(this.options.decimals ?? 2))) : '"NAN"';
  }
}
