import { type FileHandle, mkdir, open, rm } from 'node:fs/promises';
import type { Logger } from 'pino';
import { syncDirectory } from '../../durable-files/index.js';
import {
  MAX_PAYLOAD_BYTES,
  MAX_READINGS_PER_BATCH,
  type OutboxHealth,
  type Reading,
} from '../../protocol/index.js';
import { GatewayError } from '../errors.js';
import { appendDurably } from './append-durably.js';
import { OutboxCursor } from './cursor.js';
import { recoveredBatchRefusal } from './recovered-batch.js';
import {
  listSegments,
  readSegmentMessages,
  repairTail,
  type Segment,
  type StoredMessage,
  segmentPath,
} from './segments.js';
import { type OutboxState, readOutboxState, writeOutboxState } from './state-file.js';

/** What the readings message adds to its readings that the contract limits: their count and its size. */
function batchRefusal(readings: number, payload: string): string | undefined {
  if (readings === 0 || readings > MAX_READINGS_PER_BATCH)
    return `${readings} readings; a batch holds 1 to ${MAX_READINGS_PER_BATCH}`;
  if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) return 'payload too large';
  return undefined;
}

export interface OutboxOptions {
  dir: string;
  /** Disk quota for the segments; past it the oldest messages are dropped and counted. */
  maxBytes: number;
  /** A segment is closed and a new one begun past this size; the quota drops whole segments. */
  segmentBytes?: number;
  logger: Logger;
}

/**
 * The durable outbox (design brief section 4): every batch is fsynced to disk under the next seq
 * before it may be published, and stays until the broker acknowledged it or the quota pushed it out.
 */
export class Outbox {
  readonly logger: Logger;
  private readonly segmentBytes: number;
  private segmentList: Segment[] = [];
  private active: FileHandle | undefined;
  private state: OutboxState = { v: 1, ackedThrough: -1, droppedMessages: 0, droppedReadings: 0 };
  private readonly ackedAhead = new Set<number>();
  private nextSeq = 0;
  /** Messages below this seq were on disk when the outbox started; the rest this run wrote. */
  private firstSeqOfRun = 0;
  private totalBytes = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private persisting: Promise<void> | undefined;
  private dirty = false;
  private started = false;
  private readonly appendListeners = new Set<() => void>();

  constructor(private readonly options: OutboxOptions) {
    this.logger = options.logger.child({ outbox: options.dir });
    this.segmentBytes =
      options.segmentBytes ?? Math.max(4096, Math.min(1024 * 1024, Math.floor(options.maxBytes / 16)));
  }

  async start(): Promise<void> {
    await mkdir(this.options.dir, { recursive: true });
    this.state = await readOutboxState(this.options.dir);
    this.segmentList = await listSegments(this.options.dir);
    const newest = this.segmentList.at(-1);
    let lastSeq = this.state.ackedThrough;
    if (newest !== undefined) {
      const repair = await repairTail(newest);
      if (repair.removedBytes > 0) {
        this.logger.warn(
          { file: newest.path, removedBytes: repair.removedBytes },
          'outbox: torn last line skipped',
        );
      }
      lastSeq = Math.max(lastSeq, repair.lastSeq ?? newest.firstSeq - 1);
      const oldest = this.segmentList[0] as Segment;
      // Segments may be deleted just before the state recording their acks reached the disk.
      this.state.ackedThrough = Math.min(lastSeq, Math.max(this.state.ackedThrough, oldest.firstSeq - 1));
      this.active = await open(newest.path, 'a');
    }
    this.nextSeq = lastSeq + 1;
    this.firstSeqOfRun = this.nextSeq;
    this.totalBytes = this.segmentList.reduce((sum, segment) => sum + segment.bytes, 0);
    this.started = true;
    await this.deleteAckedSegments();
    this.logger.info({ ...this.stats(), nextSeq: this.nextSeq }, 'outbox open');
  }

  /** Waits for appends and state writes in progress, then closes the files. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.serialized(async () => {
      await this.persistState();
      await this.active?.close();
      this.active = undefined;
    });
  }

  /** Stores a batch under the next seq; resolves once it is on disk and may be published. */
  append(readings: readonly Reading[]): Promise<StoredMessage> {
    return this.serialized(() => this.appendNow(readings));
  }

  /** The broker confirmed `seq` (PUBACK). The mark is persisted soon after, not on every ack. */
  ack(seq: number): void {
    if (!this.started || this.isDone(seq) || seq >= this.nextSeq) return;
    this.ackedAhead.add(seq);
    const before = this.state.ackedThrough;
    while (this.ackedAhead.delete(this.state.ackedThrough + 1)) this.state.ackedThrough += 1;
    if (this.state.ackedThrough === before) return;
    this.persistState()
      .then(() => this.serialized(() => this.deleteAckedSegments()))
      .catch((error: unknown) => this.logger.error({ err: error }, 'outbox: cannot record acknowledgements'));
  }

  /** Writes off a message that can never be published (corrupt on disk or refused by the contract). */
  discard(seq: number, readings: number, reason: string): void {
    if (this.isDone(seq) || seq >= this.nextSeq) return;
    this.logger.error({ seq, readings, reason }, 'outbox: message discarded');
    this.state.droppedMessages += 1;
    this.state.droppedReadings += readings;
    this.ack(seq);
  }

  isDone(seq: number): boolean {
    return seq <= this.state.ackedThrough || this.ackedAhead.has(seq);
  }

  /**
   * A reader from the oldest message not yet acknowledged. What it reads is checked as follows. A
   * line that is not JSON with a seq and a list of readings (torn by a power cut, garbled on disk)
   * is skipped and written off, always. A message this run wrote is not run through the contract
   * again: its readings were checked where they were made (checkReading) or read back from the
   * journal, and this run serialized them itself, so checking again on every publish would cost a
   * full zod parse per message and catch nothing a JSON check misses but a flipped bit that keeps
   * the JSON valid, which the ingest quarantines with its reason. A message found on disk at start
   * is checked against the contract once per reading pass (each reconnection), as it may come from
   * another version of the software or a damaged card.
   */
  cursor(): OutboxCursor {
    return new OutboxCursor(
      {
        segments: () => this.segmentList,
        isDone: (seq) => this.isDone(seq),
        lost: (seq) => this.discard(seq, 0, 'missing from its segment'),
        refusal: (message) =>
          message.seq < this.firstSeqOfRun ? recoveredBatchRefusal(message.payload) : undefined,
        discard: (seq, readings, reason) => this.discard(seq, readings, reason),
        logger: this.logger,
      },
      this.state.ackedThrough + 1,
    );
  }

  /** Calls `listener` after every append; returns the function that removes it. */
  onAppend(listener: () => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  stats(): OutboxHealth {
    return {
      pendingMessages: Math.max(0, this.nextSeq - 1 - this.state.ackedThrough - this.ackedAhead.size),
      diskBytes: this.totalBytes,
      droppedMessages: this.state.droppedMessages,
      droppedReadings: this.state.droppedReadings,
    };
  }

  /** Resolves once the acknowledgement mark and counters in memory are on disk. */
  flushState(): Promise<void> {
    return this.persistState();
  }

  private serialized<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async appendNow(readings: readonly Reading[]): Promise<StoredMessage> {
    if (!this.started)
      throw new GatewayError('OUTBOX_CLOSED', 'outbox is not started', { file: this.options.dir });
    const seq = this.nextSeq;
    // Each reading was checked against the contract where it was made (checkReading), or when the
    // journal read it back from disk; what the batch adds (its size and count) is checked here.
    const payload = JSON.stringify({ v: 1, seq, readings });
    const reason = batchRefusal(readings.length, payload);
    if (reason !== undefined) {
      throw new GatewayError('OUTBOX_BATCH_INVALID', `batch ${seq} refused: ${reason}`, {
        file: this.options.dir,
      });
    }
    const segment = await this.writableSegment(seq);
    const line = `${payload}\n`;
    await this.writeDurably(segment, line);
    this.nextSeq = seq + 1;
    await this.enforceQuota();
    for (const listener of this.appendListeners) listener();
    return { seq, payload, readings: readings.length };
  }

  private async writeDurably(segment: Segment, line: string): Promise<void> {
    await appendDurably(this.active as FileHandle, line, segment.bytes);
    const bytes = Buffer.byteLength(line);
    segment.bytes += bytes;
    this.totalBytes += bytes;
  }

  private async writableSegment(seq: number): Promise<Segment> {
    const newest = this.segmentList.at(-1);
    if (newest !== undefined && this.active !== undefined && newest.bytes < this.segmentBytes) return newest;
    await this.active?.close();
    const segment: Segment = { firstSeq: seq, path: segmentPath(this.options.dir, seq), bytes: 0 };
    this.active = await open(segment.path, 'a');
    await syncDirectory(this.options.dir);
    this.segmentList.push(segment);
    // The segment just closed may already be fully acknowledged.
    await this.deleteAckedSegments();
    return segment;
  }

  private lastSeqOf(index: number): number {
    const following = this.segmentList[index + 1];
    return following === undefined ? this.nextSeq - 1 : following.firstSeq - 1;
  }

  private async enforceQuota(): Promise<void> {
    while (this.totalBytes > this.options.maxBytes && this.segmentList.length > 0) {
      const oldest = this.segmentList[0] as Segment;
      if (this.segmentList.length === 1) {
        await this.active?.close();
        this.active = undefined;
      }
      const lastSeq = this.lastSeqOf(0);
      const lost = (await readSegmentMessages(oldest.path)).filter((message) => !this.isDone(message.seq));
      this.state.droppedMessages += lost.length;
      this.state.droppedReadings += lost.reduce((sum, message) => sum + message.readings, 0);
      this.markDoneThrough(lastSeq);
      // Counters reach the disk before the messages leave it.
      await this.persistState();
      await this.removeOldest();
      this.logger.warn(
        { droppedMessages: lost.length, throughSeq: lastSeq },
        'outbox: quota exceeded, oldest dropped',
      );
    }
  }

  private markDoneThrough(seq: number): void {
    this.state.ackedThrough = Math.max(this.state.ackedThrough, seq);
    for (const ahead of this.ackedAhead) if (ahead <= seq) this.ackedAhead.delete(ahead);
    while (this.ackedAhead.delete(this.state.ackedThrough + 1)) this.state.ackedThrough += 1;
  }

  private async removeOldest(): Promise<void> {
    const oldest = this.segmentList.shift() as Segment;
    this.totalBytes -= oldest.bytes;
    await rm(oldest.path, { force: true });
  }

  /** Deletes fully acknowledged segments except the one being written. */
  private async deleteAckedSegments(): Promise<void> {
    while (this.segmentList.length > 1 && this.lastSeqOf(0) <= this.state.ackedThrough) {
      await this.removeOldest();
    }
  }

  // Coalesces writes: acks arriving while one write is on its way are recorded by the next.
  private persistState(): Promise<void> {
    this.dirty = true;
    this.persisting ??= this.persistLoop().finally(() => {
      this.persisting = undefined;
    });
    return this.persisting;
  }

  private async persistLoop(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      await writeOutboxState(this.options.dir, { ...this.state });
    }
  }
}
