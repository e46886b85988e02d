import { SerialPortStream } from '@serialport/stream';
import type { Logger } from 'pino';
import type { SerialPort } from 'serialport';
import { type BackoffPolicy, backoffDelayMs } from '../../../backoff/index.js';
import { type Clock, systemClock, type Timer } from '../../clock.js';
import type { GatewayErrorCode } from '../../errors.js';
import { DEFAULT_BACKOFF } from '../../reconnect-backoff.js';
import { serialBinding } from './hangup-aware-binding.js';
import type { SerialTransport } from './serial-port-config.js';

const READ_POOL_BYTES = 4096;

export type SerialFaultCode = Extract<
  GatewayErrorCode,
  'SERIAL_OPEN_FAILED' | 'SERIAL_CLOSED' | 'SERIAL_WRITE_FAILED'
>;

export interface SerialConnectionOptions {
  transport: SerialTransport;
  logger: Logger;
  clock?: Clock;
  retry?: BackoffPolicy;
  /** Called on every successful open with the fresh port, to attach parsers; a reopen calls it again. */
  onOpen(port: SerialPort): void;
  /** A fault of the port itself: every sensor on it is affected. */
  onFault(code: SerialFaultCode, message: string, cause?: Error): void;
}

/**
 * One serial port kept open for as long as the driver runs: a port that cannot be opened, or that
 * disappears (a USB adapter unplugged), is reopened with back-off until stop(). Drivers own the
 * protocol; this owns the cable.
 */
export class SerialConnection {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private port: SerialPort | undefined;
  private retryTimer: Timer | undefined;
  private attempt = 0;
  private stopped = true;

  constructor(private readonly options: SerialConnectionOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger;
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  /** Resolves once the first attempt to open is over; a failed open is retried, not thrown. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.open();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer !== undefined) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  /** Writes and waits until the bytes have left for the device; rejects if the port is not open. */
  write(data: Buffer | string): Promise<void> {
    const port = this.port;
    if (port === undefined || !port.isOpen) {
      return Promise.reject(new Error(`port ${this.options.transport.path} is not open`));
    }
    return new Promise((resolve, reject) => {
      port.write(data, (error) => {
        if (error) reject(error);
        else port.drain((drainError) => (drainError ? reject(drainError) : resolve()));
      });
    });
  }

  private open(): Promise<void> {
    const { path, baudRate, dataBits, parity, stopBits } = this.options.transport;
    const port: SerialPort = new SerialPortStream({
      binding: serialBinding(),
      path,
      baudRate,
      dataBits,
      parity,
      stopBits,
      autoOpen: false,
      // Each port keeps a read pool of this size (64 KiB by default) that every chunk read is a
      // slice of; at 115200 baud a second of data is 11.5 kB, and a gateway has several ports.
      highWaterMark: READ_POOL_BYTES,
    });
    this.port = port;
    port.on('error', (error) => this.fault('SERIAL_CLOSED', `port error: ${error.message}`, error));
    port.on('close', () => this.onClose(port));
    return new Promise((resolve) => {
      port.open((error) => {
        if (error) {
          // serialport's message repeats the path: "Error: No such file or directory, cannot open /dev/...".
          const reason = error.message.replace(/^Error: /, '').replace(`, cannot open ${path}`, '');
          this.fault('SERIAL_OPEN_FAILED', `cannot open ${path}: ${reason}`, error);
          this.scheduleReopen();
        } else {
          this.attempt = 0;
          this.logger.info({ baudRate }, 'serial port open');
          this.options.onOpen(port);
        }
        resolve();
      });
    });
  }

  private onClose(port: SerialPort): void {
    if (this.stopped || port !== this.port) return;
    // A port lost on a failed write and a hung-up read can report 'close' twice; a second reopen
    // chain would race the first, and the open that loses the port's lock would orphan the winner.
    this.port = undefined;
    this.fault('SERIAL_CLOSED', `port ${this.options.transport.path} closed`);
    this.scheduleReopen();
  }

  private scheduleReopen(): void {
    if (this.stopped || this.retryTimer !== undefined) return;
    const delay = backoffDelayMs(this.attempt + 1, this.options.retry ?? DEFAULT_BACKOFF);
    this.attempt += 1;
    this.logger.warn({ delayMs: delay, attempt: this.attempt }, 'reopening serial port');
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.stopped) void this.open();
    }, delay);
  }

  private fault(code: SerialFaultCode, message: string, cause?: Error): void {
    if (this.stopped) return;
    this.logger.warn({ code, err: cause }, message);
    this.options.onFault(code, message, cause);
  }
}
