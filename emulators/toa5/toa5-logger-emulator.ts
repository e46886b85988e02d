import type { SerialPort } from 'serialport';
import { closeDevicePort, openDevicePort } from '../device-port.js';
import { type Toa5CellFault, Toa5TableWriter, type Toa5TableWriterOptions } from './toa5-table-writer.js';

export interface Toa5LoggerEmulatorOptions extends Toa5TableWriterOptions {
  /** The device end of a PTY pair (the driver opens the other end). */
  path: string;
  baudRate?: number;
  /** A row every this many ms after start(); 0 or absent: rows only on writeRow(). */
  intervalMs?: number;
  /** Sends the header on start (default true); false joins a stream whose header went by. */
  headerOnStart?: boolean;
}

/**
 * A Campbell logger sending one table in TOA5 form on a serial port: the header, then a row per
 * record, each line ending in CR LF. Values come from `valueOf(column, timeMs)`.
 */
export class Toa5LoggerEmulator {
  private readonly table: Toa5TableWriter;
  private port: SerialPort | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: Toa5LoggerEmulatorOptions) {
    this.table = new Toa5TableWriter(options);
  }

  async start(): Promise<void> {
    const port = await openDevicePort({
      path: this.options.path,
      baudRate: this.options.baudRate ?? 9600,
    });
    port.on('error', () => undefined);
    this.port = port;
    if (this.options.headerOnStart ?? true) await this.sendHeader();
    const interval = this.options.intervalMs ?? 0;
    if (interval > 0) this.timer = setInterval(() => void this.writeRow(), interval);
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    const port = this.port;
    this.port = undefined;
    await closeDevicePort(port);
  }

  sendHeader(): Promise<void> {
    return this.send(this.table.header());
  }

  /** Sends the next record now, stamped `timeMs` (default: now). */
  writeRow(timeMs = Date.now()): Promise<void> {
    return this.send([this.table.row(timeMs)]);
  }

  /** Sends a row cut short. */
  writeMalformedRow(timeMs = Date.now()): Promise<void> {
    return this.send([this.table.malformedRow(timeMs)]);
  }

  skipRecords(count: number): void {
    this.table.skipRecords(count);
  }

  /** A logger reset: RECORD starts again at 0 after a fresh header. */
  async reset(): Promise<void> {
    this.table.resetRecords();
    await this.sendHeader();
  }

  setFault(column: string, fault: Toa5CellFault | undefined): void {
    this.table.setFault(column, fault);
  }

  private send(lines: readonly string[]): Promise<void> {
    const port = this.port;
    if (port === undefined || !port.isOpen) return Promise.resolve();
    return new Promise((resolve) => {
      port.write(lines.map((line) => `${line}\r\n`).join(''), 'latin1', () => port.drain(() => resolve()));
    });
  }
}
