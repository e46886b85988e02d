import type { SerialPort } from 'serialport';
import type { LineFormat } from '../../firmware-bridge/drivers/serial-line/contract.js';
import { closeDevicePort, openDevicePort } from '../device-port.js';
import { formatLine } from './format-line.js';

export interface LineChannel {
  channel: string;
  intervalMs: number;
}

export interface LineDeviceOptions {
  /** The device end of a PTY pair. */
  path: string;
  baudRate?: number;
  format: LineFormat;
  channels: readonly LineChannel[];
  valueOf(channel: string, timeMs: number): number;
}

/** An instrument that prints one text line per value (a logger, a counter) on its serial port. */
export class LineDeviceEmulator {
  private port: SerialPort | undefined;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly options: LineDeviceOptions) {}

  async start(): Promise<void> {
    const port = await openDevicePort({
      path: this.options.path,
      baudRate: this.options.baudRate ?? 9600,
    });
    this.port = port;
    for (const { channel, intervalMs } of this.options.channels) {
      this.send(channel);
      this.timers.push(setInterval(() => this.send(channel), intervalMs));
    }
  }

  async stop(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    const port = this.port;
    this.port = undefined;
    await closeDevicePort(port);
  }

  private send(channel: string): void {
    const now = Date.now();
    const value = Number(this.options.valueOf(channel, now).toFixed(4));
    this.port?.write(`${formatLine(this.options.format, channel, value, now)}\r\n`);
  }
}
