import type { Logger } from 'pino';
import type { Clock, Timer } from '../../clock.js';

export interface PollLoopOptions<E> {
  /** What is polled, each on its own period; polled one at a time, in this order when due together. */
  entries: readonly E[];
  periodOf(entry: E): number;
  poll(entry: E): Promise<void>;
  /** Shortest wait before the next round after a poll failed unexpectedly. */
  minPeriodMs: number;
  clock: Clock;
  logger: Logger;
}

/**
 * The schedule of a polled bus (Modbus, SDI-12): every entry on its own grid, polls strictly one
 * after another, the next wake-up at the earliest due time. A poll that throws (only a throwing
 * sink can) is logged and polling goes on.
 */
export class PollLoop<E> {
  private readonly due: number[];
  private timer: Timer | undefined;
  private polling: Promise<void> = Promise.resolve();
  private stopped = true;

  constructor(private readonly options: PollLoopOptions<E>) {
    this.due = options.entries.map(() => 0);
  }

  start(): void {
    this.stopped = false;
    const now = this.options.clock.now();
    this.due.fill(now);
    this.wakeAt(now);
  }

  /** No poll starts after this; resolves once the one under way has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.polling;
  }

  private wakeAt(dueMs: number): void {
    if (this.stopped) return;
    const { clock } = this.options;
    this.timer = clock.setTimeout(
      () => {
        this.timer = undefined;
        this.polling = this.pollDue().catch((error: unknown) => {
          this.options.logger.error({ err: error }, 'poll failed');
          this.wakeAt(clock.now() + this.options.minPeriodMs);
        });
      },
      Math.max(0, dueMs - clock.now()),
    );
  }

  private async pollDue(): Promise<void> {
    const { entries, clock } = this.options;
    for (const [index, entry] of entries.entries()) {
      if (this.stopped) return;
      const dueMs = this.due[index] as number;
      if (dueMs > clock.now()) continue;
      await this.options.poll(entry);
      // Against the previous due time, so polls keep their grid unless the bus overran it.
      this.due[index] = Math.max(dueMs + this.options.periodOf(entry), clock.now());
    }
    this.wakeAt(Math.min(...this.due));
  }
}
