import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { StoreAbortedError } from '../store/store-batch.js';
import type { AppendBatch } from './append-batch.js';
import { SpoolFullError } from './spool.js';

export interface AppenderStats {
  /** Times an append had to wait: the spool was full or the disk refused the write. */
  waits: number;
  /** Whether an append is waiting now: the ingest acknowledges nothing meanwhile. */
  waiting: boolean;
}

const WAIT_MS = 200;

/**
 * Appends a message's lines to the spool (through the turn's AppendBatch) before it is acknowledged.
 * When the spool is full (InfluxDB has been away long) or the disk refuses the write, the append
 * waits and tries again: the message stays unacknowledged, the broker keeps the rest queued, and
 * nothing is dropped. Said once per episode in the log, counted in `stats`, and `onWaiting` lets
 * the consumer's watchdog know the wait is no stall.
 */
export class SpoolAppender {
  readonly stats: AppenderStats = { waits: 0, waiting: false };

  constructor(
    private readonly batch: Pick<AppendBatch, 'add'>,
    private readonly options: { logger: Logger; signal: AbortSignal; onWaiting?: () => void },
  ) {}

  async append(text: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        this.batch.add(text);
        if (this.stats.waiting)
          this.options.logger.info('the spool takes messages again; acknowledging resumes');
        this.stats.waiting = false;
        return;
      } catch (error) {
        if (attempt === 1) this.stats.waits++;
        if (!this.stats.waiting) {
          this.stats.waiting = true;
          const full = error instanceof SpoolFullError;
          this.options.logger.error(
            { err: error },
            full
              ? 'the ingest spool is full: acknowledging stops until InfluxDB drains it (the broker keeps the queue)'
              : 'the ingest spool cannot be written: acknowledging stops until it can (the broker keeps the queue)',
          );
        }
        this.options.onWaiting?.();
        try {
          await sleep(WAIT_MS, undefined, { signal: this.options.signal });
        } catch (abort) {
          throw new StoreAbortedError({ cause: abort });
        }
      }
    }
  }
}
