import type { Clock } from '../../clock.js';

/** Jobs that have a half-duplex bus to themselves: each starts once the one before has ended. */
export class BusTurns {
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
