import { ReadlineParser } from '@serialport/parser-readline';
import type { Logger } from 'pino';
import type { BackoffPolicy } from '../../../backoff/index.js';
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
  retry?: BackoffPolicy;
  onFault(code: SerialFaultCode, message: string, cause?: Error): void;
}

type LineFilter = (line: string) => boolean;

/** A command is answered by a line or two; more unclaimed lines than this are noise. */
const MAX_UNCLAIMED = 8;

/**
 * The SDI-12 adapter's serial port as a half-duplex bus: one command at a time, each answered by
 * one line. Lines nobody waits for (late replies after a timeout, stray service requests) are
 * dropped, and so are echoes of commands, which some adapters send.
 *
 * A reply carries the sensor's address but not the command it answers, so a reply that comes after
 * its timeout could be taken for the reply to the next command (values of `aD0!` read as those of
 * `aD1!`). The bus therefore counts the replies it is still owed and, before it sends a different
 * command, lets them come in (or one more timeout pass) and drops them. A retry of the same command
 * needs no such wait: the late reply to an earlier try says what the retry's would.
 */
export class Sdi12Bus {
  private readonly bus: HalfDuplexPort<BusReply, LineFilter>;
  /** The command last sent, how many of its tries still owe a reply, and whether any try got one. */
  private owedFor = '';
  private owed = 0;
  private answered = false;
  /**
   * Lines nobody waited for since the last command, for awaitLine(): a service request that comes in
   * the same read as the measurement's reply arrives before anyone can wait for it.
   */
  private unclaimed: { line: string; countedAsReply: boolean }[] = [];

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

  /** Sends a command and resolves with the next line that is not an echo. Call inside exclusive(). */
  async request(command: string, timeoutMs: number): Promise<BusReply> {
    if (command !== this.owedFor) {
      if ((await this.dropLateReplies(timeoutMs)) === 'stopped') return { kind: 'stopped' };
      this.owedFor = command;
      this.owed = 0;
      this.answered = false;
    }
    if (this.bus.stopped) return { kind: 'stopped' };
    this.unclaimed = [];
    const pending = this.waitForLine(() => true, timeoutMs);
    try {
      await this.bus.write(command);
    } catch (error) {
      pending.settle({ kind: 'stopped' });
      await pending.reply;
      return { kind: 'write-failed', message: `cannot send ${command}: ${(error as Error).message}` };
    }
    this.owed += 1;
    const reply = await pending.reply;
    if (reply.kind === 'reply') {
      this.owed -= 1;
      this.answered = true;
    }
    return reply;
  }

  /** Resolves with the first line `accept` takes, or a timeout after `ms`. Call inside exclusive(). */
  awaitLine(accept: LineFilter, ms: number): Promise<BusReply> {
    if (this.bus.stopped) return Promise.resolve({ kind: 'stopped' });
    const early = this.unclaimed.findIndex(({ line }) => accept(line));
    const [claimed] = early < 0 ? [] : this.unclaimed.splice(early, 1);
    if (claimed === undefined) return this.waitForLine(accept, ms).reply;
    // It was not the late reply it was taken for.
    if (claimed.countedAsReply) this.owed += 1;
    return Promise.resolve({ kind: 'reply', line: claimed.line });
  }

  /**
   * Drops the replies still owed to the last command, if one of its tries was answered after another
   * timed out: the sensor answers, but later than the timeout, and the rest are on their way. A retry
   * goes out a timeout after the try before it, so its reply trails the one taken by about a timeout:
   * each gets two timeouts to come before it is taken as lost. When no try was answered the sensor is
   * most likely not listening, and the bus does not wait for it (a reply that still comes carries its
   * address, which a measurement of another address refuses).
   */
  private async dropLateReplies(timeoutMs: number): Promise<'done' | 'stopped'> {
    while (this.answered && this.owed > 0) {
      if (this.bus.stopped) return 'stopped';
      const late = await this.waitForLine(() => true, 2 * timeoutMs).reply;
      if (late.kind === 'stopped') return 'stopped';
      if (late.kind !== 'reply') break;
      this.owed -= 1;
      this.options.logger.debug(
        { line: late.line.slice(0, 80), to: this.owedFor },
        'late SDI-12 reply dropped',
      );
    }
    return 'done';
  }

  private waitForLine(accept: LineFilter, ms: number): PendingReply<BusReply> {
    this.bus.replies.settle({ kind: 'stopped' });
    return this.bus.replies.wait(accept, ms, () => ({ kind: 'timeout' }));
  }

  private onLine(line: string): void {
    // Every command ends in '!' and no sensor reply does: this is an adapter's echo.
    if (line === '' || line.endsWith('!')) return;
    if (this.bus.replies.context?.(line)) {
      this.bus.replies.settle({ kind: 'reply', line });
    } else {
      // Not awaited now: the late reply to a command that timed out, if one is owed, or a service
      // request that came before its wait.
      const countedAsReply = this.owed > 0;
      if (countedAsReply) this.owed -= 1;
      if (this.unclaimed.length < MAX_UNCLAIMED) this.unclaimed.push({ line, countedAsReply });
      this.options.logger.debug({ line: line.slice(0, 80) }, 'line from the SDI-12 adapter nobody waits for');
    }
  }
}
