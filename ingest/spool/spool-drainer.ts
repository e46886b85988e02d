import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { z } from 'zod';
import { backoffDelayMs } from '../../backoff/index.js';
import { InfluxError, type LinePoints, type LineWriter, pointCount, pointLines } from '../../influx/index.js';
import type { RetryPolicy } from '../store/retry-policy.js';
import type { Spool, SpoolRead } from './spool.js';

export const DrainConfigSchema = z.object({
  /**
   * Points per InfluxDB request at most. InfluxDB advises 5,000, but only a backlog or a heavy stream
   * fills a batch (the rest close after `maxDelayMs`), and there fewer, larger requests cost both
   * sides less: with 50 readings per message, 20,000 gave 259,896 and 267,974 readings/s against
   * 234,695–239,245 for 5,000 (four runs), 3.73–3.92 µs of broker+ingest CPU per reading against
   * 4.30–4.43 (`node dist/bench/pipeline.js --gateways 20 --batch 50 --seconds 12 --latency-seconds 0
   * --baseline-seconds 0`, taking turns on a quiet machine).
   */
  batchLines: z.number().int().positive().default(20_000),
  /** Bytes of line protocol read for one request at most; a backlog this large is written at once. */
  batchBytes: z
    .number()
    .int()
    .positive()
    .default(4 * 1024 * 1024),
  /** How long the first point of a small batch may wait for more before it is written anyway. */
  maxDelayMs: z.number().int().nonnegative().default(50),
  /** Requests in flight at once. */
  concurrency: z.number().int().positive().default(2),
});
export type DrainConfig = z.output<typeof DrainConfigSchema>;

export interface DrainStats {
  pointsWritten: number;
  requests: number;
  retries: number;
  /** Lines InfluxDB refused for their content, each handed to `onRejected` (quarantined). */
  rejectedLines: number;
  inFlight: number;
}

export interface SpoolDrainerOptions {
  spool: Spool;
  writer: LineWriter;
  config: DrainConfig;
  retry: RetryPolicy;
  logger: Logger;
  /** A line InfluxDB refused for good, found by splitting its batch; the rest of the batch is stored. */
  onRejected(line: string, error: InfluxError): void;
}

class DrainStopped extends Error {
  constructor() {
    super('the drainer stopped before InfluxDB confirmed the write; it stays in the spool');
  }
}

/**
 * Reads the spool in large runs and writes them to InfluxDB with a few requests in flight, in the
 * spirit of influxdb-client-js's write API: batches close on count, bytes or age; what can succeed
 * later (network, 429, 5xx, and 401/403/404 until an operator fixes them) is retried forever with
 * exponential back-off, jitter and the server's Retry-After; a batch refused for its content is split
 * until the refused lines are found, so one bad line costs only itself. A run is confirmed to the
 * spool only once InfluxDB stored it.
 */
export class SpoolDrainer {
  readonly stats: DrainStats = { pointsWritten: 0, requests: 0, retries: 0, rejectedLines: 0, inFlight: 0 };
  private readonly stopping = new AbortController();
  private readonly writes = new Set<Promise<void>>();
  private unsubscribe: (() => void) | undefined;
  private delayTimer: NodeJS.Timeout | undefined;
  /** When the oldest point not yet read was appended; undefined while everything has been read. */
  private unreadSince: number | undefined;

  constructor(private readonly options: SpoolDrainerOptions) {}

  start(): void {
    this.unsubscribe = this.options.spool.onAppend(() => this.appended());
    // Whatever a previous run left is a backlog: written at once, in full batches.
    if (this.options.spool.unreadBytes > 0) this.unreadSince = 0;
    this.pump();
  }

  private appended(): void {
    this.unreadSince ??= Date.now();
    this.pump();
  }

  private pump(): void {
    const { spool, config } = this.options;
    while (!this.stopping.signal.aborted && this.stats.inFlight < config.concurrency) {
      if (spool.unreadBytes === 0) {
        this.unreadSince = undefined;
        return;
      }
      const waited = Date.now() - (this.unreadSince ?? 0);
      if (spool.unreadBytes < config.batchBytes && waited < config.maxDelayMs) {
        this.delayTimer ??= setTimeout(() => {
          this.delayTimer = undefined;
          this.pump();
        }, config.maxDelayMs - waited);
        return;
      }
      const read = spool.read(config.batchLines, config.batchBytes);
      if (read === undefined) return;
      // What is left unread is older than anything appended from now on: a backlog, sent at once.
      if (spool.unreadBytes === 0) this.unreadSince = undefined;
      this.launch(read);
    }
  }

  private launch(read: SpoolRead): void {
    this.stats.inFlight++;
    const write = this.writeRun(read)
      .then(
        () => this.options.spool.confirm(read),
        (error: unknown) => {
          if (!(error instanceof DrainStopped))
            this.options.logger.error({ err: error }, 'spool drain failed');
        },
      )
      .finally(() => {
        this.stats.inFlight--;
        this.writes.delete(write);
        this.pump();
      });
    this.writes.add(write);
  }

  private async writeRun(read: SpoolRead): Promise<void> {
    if (read.points > 0) await this.writeSplitting({ text: read.body, points: read.points });
  }

  /**
   * Writes `points`; when InfluxDB refuses them for their content, writes each half on its own. Only
   * then are the lines taken apart as strings.
   */
  private async writeSplitting(points: LinePoints): Promise<void> {
    try {
      await this.writeRetrying(points);
      this.stats.pointsWritten += pointCount(points);
    } catch (error) {
      if (!(error instanceof InfluxError) || error.retryable) throw error;
      const lines = pointLines(points);
      if (lines.length === 1) {
        this.stats.rejectedLines++;
        this.options.onRejected(lines[0] as string, error);
        return;
      }
      const middle = Math.ceil(lines.length / 2);
      await this.writeSplitting(lines.slice(0, middle));
      await this.writeSplitting(lines.slice(middle));
    }
  }

  private async writeRetrying(points: LinePoints): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (this.stopping.signal.aborted) throw new DrainStopped();
      this.stats.requests++;
      try {
        await this.options.writer.write(points, 'ns');
        return;
      } catch (error) {
        if (error instanceof InfluxError && !error.retryable) throw error;
        const delayMs = Math.max(
          backoffDelayMs(attempt, this.options.retry),
          error instanceof InfluxError ? (error.retryAfterMs ?? 0) : 0,
        );
        this.stats.retries++;
        this.options.logger.error(
          { points: pointCount(points), attempt, delayMs, err: error },
          'InfluxDB write failed; retrying',
        );
        try {
          await sleep(delayMs, undefined, { signal: this.stopping.signal });
        } catch {
          throw new DrainStopped();
        }
      }
    }
  }

  /** Stops reading; a write in flight completes (or its retries end), and what is unconfirmed stays. */
  async stop(): Promise<void> {
    this.stopping.abort();
    clearTimeout(this.delayTimer);
    this.unsubscribe?.();
    await Promise.all([...this.writes]);
  }

  /** Waits until everything appended so far is written, for a clean stop or a test. */
  async drained(signal?: AbortSignal): Promise<void> {
    while (this.options.spool.pendingBytes > 0 || this.stats.inFlight > 0) {
      await sleep(10, undefined, signal ? { signal } : undefined);
    }
  }
}
