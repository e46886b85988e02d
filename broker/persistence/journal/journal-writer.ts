import { close, fdatasync, open, writeSync } from 'node:fs';
import { promisify } from 'node:util';
import { replaceFile } from '../../../durable-files/index.js';
import type { JournalFsync } from '../persistence-config.js';
import { encodeFrame } from './journal-format.js';

/**
 * Characters queued after which they are written without waiting for the end of the turn: a turn
 * can take hundreds of publishes from the gateways' sockets, and records kept until its end
 * outlived young-generation collections, which copied and promoted them (as in the ingest's spool).
 */
export const WRITE_AT_CHARS = 64 * 1024;

const openFile = promisify(open);
const closeFile = promisify(close);

export interface JournalWriterOptions {
  file: string;
  fsync: JournalFsync;
  fsyncIntervalMs: number;
  /** Bytes appended since the last snapshot after which the journal is rewritten as a snapshot. */
  compactAfterBytes: number;
  /** The whole state as journal records, taken when the journal is compacted. */
  snapshot(): string;
  /** Told once, when a write or fsync fails: from then on nothing appended is confirmed. */
  onFailure(error: Error): void;
}

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

/**
 * Appends journal records, those of one event-loop turn as one frame in one write, in order. A
 * record appended as durable resolves once it is in the OS (a killed process loses nothing) and,
 * with fsync `always`, on the disk. The write is synchronous: a few KiB into the page cache cost
 * less than a round trip through libuv's thread pool, and the acknowledgements it holds back leave
 * in the same turn. When enough has been appended, the next write is a snapshot of the whole state
 * in place of the journal (written beside it, flushed, renamed over it), which also stands in for
 * the records queued meanwhile: the state they changed is in it.
 */
export class JournalWriter {
  private fd: number;
  private lines: string[] = [];
  private queuedChars = 0;
  private waiters: Waiter[] = [];
  private writing = false;
  private scheduled = false;
  private unsynced = false;
  private appendedBytes: number;
  private failure: Error | undefined;
  private readonly syncTimer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];

  private constructor(
    fd: number,
    appendedBytes: number,
    private readonly options: JournalWriterOptions,
  ) {
    this.fd = fd;
    this.appendedBytes = appendedBytes;
    if (options.fsync === 'interval') {
      this.syncTimer = setInterval(() => this.syncNow(), options.fsyncIntervalMs);
      this.syncTimer.unref();
    }
  }

  /** Opens the journal for appending; `intactBytes` is its length, which counts towards the next compaction. */
  static async open(options: JournalWriterOptions, intactBytes: number): Promise<JournalWriter> {
    return new JournalWriter(await openFile(options.file, 'a', 0o600), intactBytes, options);
  }

  /** Queues a line; without `durable` the caller does not wait for it (it may be lost with the process). */
  append(line: string, durable: true): Promise<void>;
  append(line: string, durable: false): void;
  append(line: string, durable: boolean): Promise<void> | undefined {
    if (this.failure !== undefined) {
      return durable ? Promise.reject(this.failure) : undefined;
    }
    this.lines.push(line);
    this.queuedChars += line.length;
    const written = durable
      ? new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }))
      : undefined;
    if (this.queuedChars >= WRITE_AT_CHARS) this.flush();
    else if (!this.writing && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
    return written;
  }

  /** Writes what is queued, syncs, closes the file. Nothing may be appended afterwards. */
  async close(): Promise<void> {
    clearInterval(this.syncTimer);
    await new Promise<void>((resolve) => {
      this.idleWaiters.push(resolve);
      this.flush();
    });
    if (this.failure === undefined && this.options.fsync !== 'never')
      await this.sync().catch(() => undefined);
    await closeFile(this.fd);
  }

  private flush(): void {
    if (this.writing) return;
    if (this.lines.length === 0) {
      for (const idle of this.idleWaiters.splice(0)) idle();
      return;
    }
    const waiters = this.waiters;
    this.waiters = [];
    const settle = (error?: unknown): void =>
      this.settle(waiters, error === undefined || error instanceof Error ? error : new Error(String(error)));
    if (this.appendedBytes >= this.options.compactAfterBytes) {
      this.writing = true;
      this.compact().then(() => settle(), settle);
      return;
    }
    try {
      this.appendQueued();
    } catch (error) {
      settle(error);
      return;
    }
    if (this.options.fsync !== 'always') {
      this.unsynced = true;
      settle();
      return;
    }
    this.writing = true;
    this.sync().then(() => settle(), settle);
  }

  private appendQueued(): void {
    const frame = encodeFrame(this.lines.join(''));
    this.lines = [];
    this.queuedChars = 0;
    for (let offset = 0; offset < frame.length; ) {
      offset += writeSync(this.fd, frame, offset, frame.length - offset);
    }
    this.appendedBytes += frame.length;
  }

  /** The snapshot replaces the journal; the queued records' changes are already in the state it is taken from. */
  private async compact(): Promise<void> {
    const frame = encodeFrame(this.options.snapshot());
    this.lines = [];
    this.queuedChars = 0;
    await replaceFile(this.options.file, frame.toString('utf8'), { mode: 0o600 });
    const previous = this.fd;
    this.fd = await openFile(this.options.file, 'a', 0o600);
    this.appendedBytes = 0;
    this.unsynced = false;
    await closeFile(previous);
  }

  private sync(): Promise<void> {
    this.unsynced = false;
    return new Promise((resolve, reject) =>
      fdatasync(this.fd, (error) => (error ? reject(error) : resolve())),
    );
  }

  private syncNow(): void {
    if (!this.unsynced || this.writing) return;
    this.sync().catch((error: unknown) =>
      this.fail(error instanceof Error ? error : new Error(String(error))),
    );
  }

  private fail(error: Error): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    this.options.onFailure(error);
  }

  private settle(waiters: readonly Waiter[], error: Error | undefined): void {
    this.writing = false;
    // After a failed write the file and the state no longer agree: nothing more is promised.
    if (error !== undefined) this.fail(error);
    for (const waiter of waiters) {
      if (error === undefined) waiter.resolve();
      else waiter.reject(error);
    }
    if (this.failure !== undefined) {
      for (const waiter of this.waiters.splice(0)) waiter.reject(this.failure);
      this.lines = [];
      this.queuedChars = 0;
    }
    this.flush();
  }
}
