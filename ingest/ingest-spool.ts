import { join } from 'node:path';
import type { Logger } from 'pino';
import type { InfluxError, LineWriter } from '../influx/index.js';
import { quarantineLine } from './quarantine/quarantine-point.js';
import { rejectedLineRecord } from './quarantine/rejected-line.js';
import { UniqueNanoClock } from './quarantine/unique-nanos.js';
import { SequenceJournal } from './sequence/sequence-journal.js';
import { sequenceLines } from './sequence/sequence-points.js';
import type { SequenceTracker } from './sequence/sequence-tracker.js';
import { AppendBatch } from './spool/append-batch.js';
import { Spool, type SpoolConfig } from './spool/spool.js';
import { SpoolAppender } from './spool/spool-appender.js';
import { type DrainConfig, type DrainStats, SpoolDrainer } from './spool/spool-drainer.js';
import type { RetryPolicy } from './store/retry-policy.js';

export interface IngestSpoolOptions {
  /** DATA_DIR/ingest: the spool's segments under spool/, the sequence snapshot beside them. */
  dir: string;
  spool: SpoolConfig;
  drain: DrainConfig;
  retry: RetryPolicy;
  writer: LineWriter;
  logger: Logger;
  /** Aborted on stop: an append waiting for room gives up (its message stays unacknowledged). */
  signal: AbortSignal;
  /** How often the sequence totals are written and snapshotted. */
  journalIntervalMs: number;
  onWaiting(): void;
}

export interface SpoolStats extends DrainStats {
  pendingBytes: number;
  usedBytes: number;
  /** Seconds since the oldest point not yet in InfluxDB was taken; 0 with nothing pending. */
  backlogAgeS: number;
  full: boolean;
  appendWaits: number;
  /** Refused lines whose quarantine record could not be spooled either. */
  lost: number;
}

/**
 * The ingest's storage side, put together: the spool, the sequence journal that rides in it, the
 * appender the pipeline writes through, and the drainer that empties it into InfluxDB.
 */
export class IngestSpool {
  readonly appender: SpoolAppender;
  private readonly batch: AppendBatch;
  private readonly drainer: SpoolDrainer;
  private readonly nanos = new UniqueNanoClock();
  private journalTimer: NodeJS.Timeout | undefined;
  private lost = 0;

  private constructor(
    private readonly spool: Spool,
    private readonly journal: SequenceJournal,
    readonly sequences: SequenceTracker,
    private readonly options: IngestSpoolOptions,
  ) {
    this.batch = new AppendBatch(spool, (error) =>
      options.logger.error({ err: error }, 'the ingest spool cannot be written; trying again'),
    );
    this.appender = new SpoolAppender(this.batch, options);
    this.drainer = new SpoolDrainer({
      spool,
      writer: options.writer,
      config: options.drain,
      retry: options.retry,
      logger: options.logger,
      onRejected: (line, error) => this.quarantineRejected(line, error),
    });
  }

  /** Opens the spool left by the last run, with its sequence statistics restored. */
  static async open(options: IngestSpoolOptions): Promise<IngestSpool> {
    const spool = new Spool(join(options.dir, 'spool'), options.spool);
    const recovered = await spool.open();
    const journal = new SequenceJournal(join(options.dir, 'sequences.json'), spool);
    const sequences = await journal.restore();
    if (recovered.recoveredBytes > 0) {
      options.logger.info(recovered, 'spool left by the previous run: writing it to InfluxDB first');
    }
    return new IngestSpool(spool, journal, sequences, options);
  }

  start(): void {
    this.drainer.start();
    this.journalTimer = setInterval(() => void this.writeJournal(), this.options.journalIntervalMs);
    this.journalTimer.unref();
  }

  /**
   * Writes the appends of this turn to the spool now: the consumer calls it before the PUBACKs of
   * the messages they came from leave. Throws when the spool refuses them (they are kept).
   */
  flush(): void {
    this.batch.flush();
  }

  /** Sequence totals into the spool (for /v1/completeness), then a snapshot that covers them. */
  private async writeJournal(): Promise<void> {
    try {
      // The snapshot covers the spool up to its position: every note the tracker has counted must
      // be written by then, or a restart would count those messages again.
      this.batch.flush();
      const lines = sequenceLines(this.sequences.snapshots(), Date.now());
      if (lines.length > 0) this.spool.append(lines.map((line) => `${line}000000\n`).join(''));
      await this.journal.snapshot(this.sequences);
    } catch (error) {
      this.options.logger.error({ err: error }, 'sequence journal not written; trying again next time');
    }
  }

  private quarantineRejected(line: string, error: InfluxError): void {
    const record = rejectedLineRecord(line, error, Date.now());
    this.options.logger.warn(
      { code: record.code, topic: record.topic, reason: record.reason },
      'spooled point refused by InfluxDB; quarantined',
    );
    try {
      this.spool.append(`${quarantineLine(record, this.nanos.next(record.receivedAt))}\n`);
    } catch (appendError) {
      this.lost++;
      this.options.logger.error(
        { line: record.payload, err: appendError },
        'point LOST: refused by InfluxDB and its quarantine record could not be spooled',
      );
    }
  }

  stats(): SpoolStats {
    const since = this.spool.oldestPendingSince;
    return {
      ...this.drainer.stats,
      pendingBytes: this.spool.pendingBytes,
      usedBytes: this.spool.usedBytes,
      backlogAgeS: since === undefined ? 0 : Math.max(0, (Date.now() - since) / 1000),
      full: this.spool.full,
      appendWaits: this.appender.stats.waits,
      lost: this.lost,
    };
  }

  /** Waits (up to `timeoutMs`) for InfluxDB to take what is spooled, for a clean stop or a test. */
  async drained(timeoutMs: number): Promise<boolean> {
    try {
      await this.drainer.drained(AbortSignal.timeout(timeoutMs));
      return true;
    } catch {
      return false;
    }
  }

  /** Stops the drainer (unwritten data stays spooled), writes a last snapshot and closes the spool. */
  async stop(): Promise<void> {
    clearInterval(this.journalTimer);
    this.batch.stop();
    await this.drainer.stop();
    await this.writeJournal();
    this.spool.close();
  }
}
