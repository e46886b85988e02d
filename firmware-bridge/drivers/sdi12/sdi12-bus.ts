import { ReadlineParser } from '@serialport/parser-readline';
import type { Logger } from 'pino';
import type { BackoffOptions } from '../../backoff.js';
import type { Clock, Timer } from '../../clock.js';
import type { PortOf } from '../../config/schema.js';
import { SerialConnection, type SerialFaultCode } from '../serial/serial-connection.js';

export type Sdi12PortConfig = PortOf<'sdi12'>;

export type BusReply =
  | { kind: 'reply'; line: string }
  | { kind: 'timeout' }
  | { kind: 'write-failed'; message: string }
  /** The bus was stopped while waiting. */
  | { kind: 'stopped' };

export interface Sdi12BusOptions {
  port: Sdi12PortConfig;
  logger: Logger;
  clock: Clock;
  retry?: BackoffOptions;
  onFault(code: SerialFaultCode, message: string, cause?: Error): void;
}

interface Waiter {
  accept(line: string): boolean;
  settle(reply: BusReply): void;
}

/**
 * The SDI-12 adapter's serial port as a half-duplex bus: one command at a time, each answered by
 * one line. Lines nobody waits for (late replies after a timeout, stray service requests) are
 * dropped, and so are echoes of the command itself, which some adapters send.
 */
export class Sdi12Bus {
  private readonly connection: SerialConnection;
  private waiter: Waiter | undefined;
  private lastCommand = '';
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = true;

  constructor(private readonly options: Sdi12BusOptions) {
    this.connection = new SerialConnection({
      transport: options.port,
      logger: options.logger,
      clock: options.clock,
      retry: options.retry,
      onOpen: (serial) => {
        const lines = serial.pipe(new ReadlineParser({ delimiter: '\n', encoding: 'latin1' }));
        lines.on('data', (line: string) => this.onLine(line.trim()));
      },
      onFault: options.onFault,
    });
  }

  start(): Promise<void> {
    this.stopped = false;
    return this.connection.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.waiter?.settle({ kind: 'stopped' });
    await this.queue;
    await this.connection.stop();
  }

  /** Runs `job` with the bus to itself: jobs never interleave, whatever their callers do. */
  exclusive<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Sends a command and resolves with the next line that is not its echo. Call inside exclusive(). */
  async request(command: string, timeoutMs: number): Promise<BusReply> {
    if (this.stopped) return { kind: 'stopped' };
    this.lastCommand = command;
    const reply = this.awaitLine(() => true, timeoutMs);
    try {
      await this.connection.write(command);
    } catch (error) {
      this.waiter?.settle({ kind: 'stopped' });
      await reply;
      return { kind: 'write-failed', message: `cannot send ${command}: ${(error as Error).message}` };
    }
    return reply;
  }

  /** Resolves with the first line `accept` takes, or a timeout after `ms`. Call inside exclusive(). */
  awaitLine(accept: (line: string) => boolean, ms: number): Promise<BusReply> {
    if (this.stopped) return Promise.resolve({ kind: 'stopped' });
    this.waiter?.settle({ kind: 'stopped' });
    return new Promise((resolve) => {
      let timer: Timer | undefined;
      const waiter: Waiter = {
        accept,
        settle: (reply) => {
          if (this.waiter !== waiter) return;
          this.waiter = undefined;
          if (timer !== undefined) this.options.clock.clearTimeout(timer);
          resolve(reply);
        },
      };
      this.waiter = waiter;
      timer = this.options.clock.setTimeout(() => waiter.settle({ kind: 'timeout' }), ms);
    });
  }

  private onLine(line: string): void {
    if (line === '' || line === this.lastCommand) return;
    const waiter = this.waiter;
    if (waiter?.accept(line)) {
      waiter.settle({ kind: 'reply', line });
    } else {
      this.options.logger.debug(
        { line: line.slice(0, 80) },
        'unexpected line from the SDI-12 adapter, dropped',
      );
    }
  }
}
