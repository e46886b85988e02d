import type { Logger } from 'pino';
import type { BackoffPolicy } from '../../../backoff/index.js';
import type { Clock } from '../../clock.js';
import type { DriverPort } from '../driver.js';
import { HalfDuplexPort } from '../serial/half-duplex.js';
import type { SerialFaultCode } from '../serial/serial-connection.js';
import type { ModbusRtuProtocol } from './config.js';
import { LateReplies } from './late-replies.js';
import { encodeReadRequest, type ReadRequest, type ReplyStatus, readReply } from './rtu-frames.js';

export type ModbusPortConfig = DriverPort<ModbusRtuProtocol>;

export type Transaction =
  | Exclude<ReplyStatus, { kind: 'incomplete' }>
  /** No complete reply in time; `received` bytes of one had arrived. */
  | { kind: 'timeout'; received: number }
  | { kind: 'not-open' }
  | { kind: 'write-failed'; message: string }
  /** The bus was stopped while waiting. */
  | { kind: 'stopped' };

export interface ModbusBusOptions {
  port: ModbusPortConfig;
  logger: Logger;
  clock: Clock;
  retry?: BackoffPolicy;
  onFault(code: SerialFaultCode, message: string, cause?: Error): void;
}

/** A frame never exceeds 256 bytes; more than that since a request is noise. */
const MAX_FRAME_BYTES = 256;

/** The standard's 3.5 character times of silence between frames (fixed 1.75 ms above 19200 baud), at least 2 ms. */
export function defaultInterFrameDelayMs(baudRate: number): number {
  const characterTimes = baudRate > 19_200 ? 1.75 : (3.5 * 11 * 1000) / baudRate;
  return Math.max(2, Math.ceil(characterTimes));
}

/**
 * The RS-485 bus behind one serial port: half duplex, so one request at a time, each followed by
 * its reply or a timeout. The line must have been quiet for the inter-frame delay before a request
 * goes out, so the tail of a late or garbled reply is not taken for the next one.
 */
export class ModbusBus {
  private readonly bus: HalfDuplexPort<Transaction, ReadRequest>;
  private readonly interFrameDelayMs: number;
  private received = Buffer.alloc(0);
  private lastActivityMs = 0;
  private readonly lateReplies = new LateReplies();

  constructor(private readonly options: ModbusBusOptions) {
    const { protocol, baudRate } = options.port;
    this.interFrameDelayMs = protocol.interFrameDelayMs ?? defaultInterFrameDelayMs(baudRate);
    this.bus = new HalfDuplexPort({
      transport: options.port,
      logger: options.logger,
      clock: options.clock,
      retry: options.retry,
      onOpen: (serial) => {
        this.received = Buffer.alloc(0);
        serial.on('data', (chunk: Buffer) => this.onData(chunk));
      },
      onFault: options.onFault,
      stoppedReply: { kind: 'stopped' },
    });
  }

  get isOpen(): boolean {
    return this.bus.isOpen;
  }

  start(): Promise<void> {
    return this.bus.start();
  }

  stop(): Promise<void> {
    return this.bus.stop();
  }

  /** Runs `job` with the bus to itself: jobs never interleave, whatever their callers do. */
  exclusive<T>(job: () => Promise<T>): Promise<T> {
    return this.bus.exclusive(job);
  }

  /** Sends one read request and waits for its reply. Call inside exclusive(). */
  async transact(request: ReadRequest, timeoutMs: number): Promise<Transaction> {
    await this.quiet();
    if (this.bus.stopped) return { kind: 'stopped' };
    if (!this.bus.isOpen) return { kind: 'not-open' };
    this.received = Buffer.alloc(0);
    const frame = encodeReadRequest(request);
    // The slave's time starts once the request has left: allow for the UART sending it.
    const sendingMs = Math.ceil((frame.length * 11 * 1000) / this.options.port.baudRate);
    this.lastActivityMs = this.options.clock.now() + sendingMs;
    const pending = this.bus.replies.wait(request, timeoutMs + sendingMs, () => ({
      kind: 'timeout',
      received: this.received.length,
    }));
    // Not awaited: a write whose drain never completes (a PTY whose other end vanished) must not
    // hold the bus; the reply's timeout ends the transaction either way.
    void this.bus.write(frame).catch((error: Error) => {
      pending.settle({ kind: 'write-failed', message: error.message });
    });
    const reply = await pending.reply;
    if (reply.kind === 'timeout') this.lateReplies.remember(request);
    return reply;
  }

  private async quiet(): Promise<void> {
    for (;;) {
      const wait = this.lastActivityMs + this.interFrameDelayMs - this.options.clock.now();
      if (wait <= 0 || this.bus.stopped) return;
      await new Promise<void>((resolve) => this.options.clock.setTimeout(resolve, wait));
    }
  }

  private onData(chunk: Buffer): void {
    this.lastActivityMs = this.options.clock.now();
    const request = this.bus.replies.context;
    if (request === undefined) {
      this.options.logger.debug({ bytes: chunk.length }, 'bytes on the bus outside a transaction, dropped');
      return;
    }
    this.received = Buffer.concat([this.received, chunk]).subarray(0, MAX_FRAME_BYTES);
    this.settleIfDecided(request);
  }

  /** Settles the wait once the bytes received make its reply, or cannot; late replies to earlier requests are dropped. */
  private settleIfDecided(request: ReadRequest): void {
    for (;;) {
      const status = readReply(this.received, request);
      if (status.kind === 'incomplete') return;
      if (status.kind === 'invalid') {
        const late = this.lateReplies.match(this.received);
        if (late.kind === 'incomplete') return;
        if (late.kind === 'late') {
          this.options.logger.debug({ bytes: late.length }, 'late reply to an earlier request, dropped');
          this.received = this.received.subarray(late.length);
          continue;
        }
      }
      this.bus.replies.settle(status);
      return;
    }
  }
}
