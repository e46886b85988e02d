import { close, fdatasync, open, write } from 'node:fs';
import { promisify } from 'node:util';
import { replaceFile } from '../../../durable-files/index.js';
import type { JournalFsync } from '../persistence-config.js';

const openFile = promisify(open);
const closeFile = promisify(close);

export interface JournalWriterOptions {
  file: string;
  fsync: JournalFsync;
  fsyncIntervalMs: number;
  /** Bytes appended since the last snapshot after which the journal is rewritten as a snapshot. */
  compactAfterBytes: number;
  /** The whole state as journal lines, taken when the journal is compacted. */
  snapshot(): string;
}

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

/**
 * Appends journal lines, all the lines of one event-loop turn in one write, one write at a time,
 * in order. A line appended with a waiter resolves once it is in the OS (a killed process loses
 * nothing) and, with fsync `always`, on the disk. When enough has been appended, the next write is
 * a snapshot of the whole state in place of the journal (written beside it, flushed, renamed over
 * it), which also stands in for the lines queued meanwhile: the state they changed is in it.
 */
export class JournalWriter {
  private fd: number;
  private lines: string[] = [];
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
    const written = durable
      ? new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }))
      : undefined;
    if (!this.writing && !this.scheduled) {
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
    this.writing = true;
    const done = this.appendedBytes >= this.options.compactAfterBytes ? this.compact() : this.appendQueued();
    done.then(
      () => this.settle(waiters, undefined),
      (error: unknown) => this.settle(waiters, error instanceof Error ? error : new Error(String(error))),
    );
  }

  private async appendQueued(): Promise<void> {
    const text = this.lines.join('');
    this.lines = [];
    const buffer = Buffer.from(text, 'utf8');
    await this.writeAll(buffer);
    this.appendedBytes += buffer.length;
    if (this.options.fsync === 'always') await this.sync();
    else this.unsynced = true;
  }

  /** The snapshot replaces the journal; the queued lines' changes are already in the state it is taken from. */
  private async compact(): Promise<void> {
    const text = this.options.snapshot();
    this.lines = [];
    await replaceFile(this.options.file, text, { mode: 0o600 });
    const previous = this.fd;
    this.fd = await openFile(this.options.file, 'a', 0o600);
    this.appendedBytes = 0;
    this.unsynced = false;
    await closeFile(previous);
  }

  private writeAll(buffer: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      const from = (offset: number): void => {
        write(this.fd, buffer, offset, buffer.length - offset, null, (error, written) => {
          if (error) return reject(error);
          if (offset + written < buffer.length) return from(offset + written);
          resolve();
        });
      };
      from(0);
    });
  }

  private sync(): Promise<void> {
    this.unsynced = false;
    return new Promise((resolve, reject) =>
      fdatasync(this.fd, (error) => (error ? reject(error) : resolve())),
    );
  }

  private syncNow(): void {
    if (!this.unsynced || this.writing) return;
    this.sync().catch((error: unknown) => {
      this.failure ??= error instanceof Error ? error : new Error(String(error));
    });
  }

  private settle(waiters: readonly Waiter[], error: Error | undefined): void {
    this.writing = false;
    // After a failed write the file and the state no longer agree: nothing more is promised.
    if (error !== undefined) this.failure ??= error;
    for (const waiter of waiters) {
      if (error === undefined) waiter.resolve();
      else waiter.reject(error);
    }
    if (this.failure !== undefined) {
      for (const waiter of this.waiters.splice(0)) waiter.reject(this.failure);
      this.lines = [];
    }
    this.flush();
  }
}
