import type { Logger } from 'pino';
import type { SerialPort } from 'serialport';
import type { BackoffPolicy } from '../../../backoff/index.js';
import type { Clock } from '../../clock.js';
import { SerialConnection, type SerialFaultCode } from './serial-connection.js';
import type { SerialTransport } from './serial-port-config.js';

/** Jobs that have a half-duplex bus to themselves: each starts once the one before has ended. */
class BusTurns {
  private last: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const run = this.last.then(job);
    this.last = run.catch(() => undefined);
    return run;
  }

  /** Resolves once every job handed in so far has ended. */
  async idle(): Promise<void> {
    await this.last;
  }
}

/** One wait for a reply: ended once, by the reply, its timeout or whoever holds `settle`. */
export interface PendingReply<R> {
  reply: Promise<R>;
  settle(result: R): void;
}

/**
 * The reply a half-duplex bus waits for, one at a time, with what the wait expects (`context`: the
 * request, a line filter) for the code that reads the incoming bytes.
 */
export class ReplyWait<R, C> {
  private current: { context: C; settle(result: R): void } | undefined;

  constructor(private readonly clock: Clock) {}

  /** What the wait under way expects; undefined when nothing waits. */
  get context(): C | undefined {
    return this.current?.context;
  }

  wait(context: C, timeoutMs: number, timedOut: () => R): PendingReply<R> {
    let settle: (result: R) => void = () => undefined;
    const reply = new Promise<R>((resolve) => {
      const entry = {
        context,
        settle: (result: R) => {
          if (this.current !== entry) return;
          this.current = undefined;
          this.clock.clearTimeout(timer);
          resolve(result);
        },
      };
      settle = entry.settle;
      this.current = entry;
      const timer = this.clock.setTimeout(() => entry.settle(timedOut()), timeoutMs);
    });
    return { reply, settle };
  }

  /** Ends the wait under way, if there is one. */
  settle(result: R): void {
    this.current?.settle(result);
  }
}

export interface HalfDuplexPortOptions<R> {
  transport: SerialTransport;
  logger: Logger;
  clock: Clock;
  retry?: BackoffPolicy;
  /** Attaches the protocol's reader to every fresh port, as SerialConnection's onOpen. */
  onOpen(port: SerialPort): void;
  onFault(code: SerialFaultCode, message: string, cause?: Error): void;
  /** What a wait under way ends with when the port is stopped. */
  stoppedReply: R;
}

/**
 * A serial port used as a half-duplex bus (Modbus RTU, an SDI-12 adapter): jobs take turns, each
 * request waits for its one reply, and stop() ends the wait under way and lets the jobs finish
 * before the port closes.
 */
export class HalfDuplexPort<R, C> {
  readonly replies: ReplyWait<R, C>;
  private readonly turns = new BusTurns();
  private readonly connection: SerialConnection;
  private running = false;

  constructor(private readonly options: HalfDuplexPortOptions<R>) {
    this.replies = new ReplyWait(options.clock);
    this.connection = new SerialConnection(options);
  }

  get stopped(): boolean {
    return !this.running;
  }

  get isOpen(): boolean {
    return this.connection.isOpen;
  }

  start(): Promise<void> {
    this.running = true;
    return this.connection.start();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.replies.settle(this.options.stoppedReply);
    await this.turns.idle();
    await this.connection.stop();
  }

  /** Runs `job` with the bus to itself: jobs never interleave, whatever their callers do. */
  exclusive<T>(job: () => Promise<T>): Promise<T> {
    return this.turns.run(job);
  }

  write(data: Buffer | string): Promise<void> {
    return this.connection.write(data);
  }
}
