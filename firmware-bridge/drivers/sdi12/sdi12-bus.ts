import { ReadlineParser } from '@serialport/parser-readline';
import type { Logger } from 'pino';
import type { BackoffOptions } from '../../backoff.js';
import type { Clock } from '../../clock.js';
import type { DriverPort } from '../driver.js';
import { HalfDuplexPort, type PendingReply } from '../serial/half-duplex.js';
import type { SerialFaultCode } from '../serial/serial-connection.js';
import type { Sdi12Protocol } from './config.js';

export type Sdi12PortConfig = DriverPort<Sdi12Protocol>;

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

type LineFilter = (line: string) => boolean;

/**
 * The SDI-12 adapter's serial port as a half-duplex bus: one command at a time, each answered by
 * one line. Lines nobody waits for (late replies after a timeout, stray service requests) are
 * dropped, and so are echoes of the command itself, which some adapters send.
 */
export class Sdi12Bus {
  private readonly bus: HalfDuplexPort<BusReply, LineFilter>;
  private lastCommand = '';

  constructor(private readonly options: Sdi12BusOptions) {
    this.bus = new HalfDuplexPort({
      transport: options.port,
      logger: options.logger,
      clock: options.clock,
      retry: options.retry,
      onOpen: (serial) => {
        const lines = serial.pipe(new ReadlineParser({ delimiter: '\n', encoding: 'latin1' }));
        lines.on('data', (line: string) => this.onLine(line.trim()));
      },
      onFault: options.onFault,
      stoppedReply: { kind: 'stopped' },
    });
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

  /** Sends a command and resolves with the next line that is not its echo. Call inside exclusive(). */
  async request(command: string, timeoutMs: number): Promise<BusReply> {
    if (this.bus.stopped) return { kind: 'stopped' };
    this.lastCommand = command;
    const pending = this.waitForLine(() => true, timeoutMs);
    try {
      await this.bus.write(command);
    } catch (error) {
      pending.settle({ kind: 'stopped' });
      await pending.reply;
      return { kind: 'write-failed', message: `cannot send ${command}: ${(error as Error).message}` };
    }
    return pending.reply;
  }

  /** Resolves with the first line `accept` takes, or a timeout after `ms`. Call inside exclusive(). */
  awaitLine(accept: LineFilter, ms: number): Promise<BusReply> {
    if (this.bus.stopped) return Promise.resolve({ kind: 'stopped' });
    return this.waitForLine(accept, ms).reply;
  }

  private waitForLine(accept: LineFilter, ms: number): PendingReply<BusReply> {
    this.bus.replies.settle({ kind: 'stopped' });
    return this.bus.replies.wait(accept, ms, () => ({ kind: 'timeout' }));
  }

  private onLine(line: string): void {
    if (line === '' || line === this.lastCommand) return;
    if (this.bus.replies.context?.(line)) {
      this.bus.replies.settle({ kind: 'reply', line });
    } else {
      this.options.logger.debug(
        { line: line.slice(0, 80) },
        'unexpected line from the SDI-12 adapter, dropped',
      );
    }
  }
}
