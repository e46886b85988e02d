import {
  closeSync,
  fdatasyncSync,
  ftruncateSync,
  openSync,
  readSync,
  statSync,
  truncateSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { z } from 'zod';
import { listSegments, segmentPath } from './segment-files.js';
import { type ChunkLines, takeLines } from './spool-chunk.js';

export const FsyncPolicySchema = z.enum(['always', 'interval', 'never']);
export type FsyncPolicy = z.infer<typeof FsyncPolicySchema>;

export const SpoolConfigSchema = z.object({
  /** A segment is closed and a new one opened past this size; a fully written segment is deleted. */
  segmentBytes: z
    .number()
    .int()
    .positive()
    .default(16 * 1024 * 1024),
  /**
   * A backlog (bytes InfluxDB has not confirmed) this large stops the ingest acknowledging: the
   * broker keeps the queue until InfluxDB drains us. Confirmed segments are deleted at the next
   * sequence snapshot (every 10 s), so the disk holds at most this plus what those seconds wrote.
   */
  maxBytes: z
    .number()
    .int()
    .positive()
    .default(1024 * 1024 * 1024),
  /**
   * `interval` (default): appended data reaches the disk within `fsyncIntervalMs`; a kill -9 of any
   * process loses nothing (the data is in the kernel before the PUBACK), a power cut loses at most
   * that interval, as the broker's own store does. `always`: every message is on disk before its
   * PUBACK, at the cost of one fsync per write (the appends of one event-loop turn). `never`: left
   * to the kernel.
   */
  fsync: FsyncPolicySchema.default('interval'),
  fsyncIntervalMs: z.number().int().positive().default(1000),
});
export type SpoolConfig = z.output<typeof SpoolConfigSchema>;

/** Size at which a fully confirmed open segment is closed so it can be deleted. */
const ROTATE_CONFIRMED_BYTES = 1024 * 1024;

export class SpoolFullError extends Error {
  readonly code = 'SPOOL_FULL';
  constructor(
    readonly usedBytes: number,
    readonly maxBytes: number,
  ) {
    super(
      `the ingest spool holds ${usedBytes} of at most ${maxBytes} bytes; waiting for InfluxDB to drain it`,
    );
    this.name = 'SpoolFullError';
  }
}

interface Segment {
  id: number;
  size: number;
  /** Bytes InfluxDB has confirmed; the segment goes once it is sealed and all of it is confirmed. */
  confirmed: number;
  sealed: boolean;
  /** When its oldest byte was appended (for a recovered segment: when it was last written). */
  since: number;
}

/** A run of whole lines read from one segment, to be written together and then confirmed. */
export interface SpoolRead extends ChunkLines {
  segment: number;
}

export interface SpoolPosition {
  segment: number;
  offset: number;
}

/**
 * The ingest's durable queue between the PUBACK and InfluxDB: an append-only directory of segment
 * files of line protocol (ns precision) and notes. `append` is synchronous and runs before the
 * messages it holds are acknowledged (once per event-loop turn, through AppendBatch), so the data is
 * in the kernel before their PUBACKs leave; a drainer reads it back in large runs, writes them, and
 * confirms them, and a segment whose every byte is confirmed is deleted. After a crash whatever is
 * left is read again from the start (writes are idempotent).
 */
export class Spool {
  private readonly segments: Segment[] = [];
  private fd: number | undefined;
  private cursor: SpoolPosition = { segment: 0, offset: 0 };
  private dirty = false;
  private syncTimer: NodeJS.Timeout | undefined;
  /** Segments below this id may be deleted once confirmed (the sequence journal has covered them). */
  private releasedBelow = 0;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly dir: string,
    private readonly config: SpoolConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** Finds what a previous run left (cutting a line a power cut left half-written) and opens a new segment. */
  async open(): Promise<{ recoveredBytes: number; segments: number }> {
    await mkdir(this.dir, { recursive: true });
    let recoveredBytes = 0;
    for (const id of await listSegments(this.dir)) {
      const path = segmentPath(this.dir, id);
      const size = wholeLinesSize(path);
      if (size === 0) {
        unlinkSync(path);
        continue;
      }
      this.segments.push({ id, size, confirmed: 0, sealed: true, since: statSync(path).mtimeMs });
      recoveredBytes += size;
    }
    this.openSegment((this.segments.at(-1)?.id ?? 0) + 1);
    this.cursor = { segment: this.segments[0]?.id ?? 0, offset: 0 };
    if (this.config.fsync === 'interval') {
      this.syncTimer = setInterval(() => this.sync(), this.config.fsyncIntervalMs);
      this.syncTimer.unref();
    }
    return { recoveredBytes, segments: this.segments.length - 1 };
  }

  private openSegment(id: number): void {
    this.fd = openSync(segmentPath(this.dir, id), 'a');
    this.segments.push({ id, size: 0, confirmed: 0, sealed: false, since: this.now() });
  }

  private get active(): Segment {
    const active = this.segments.at(-1);
    if (active === undefined || this.fd === undefined) throw new Error('the spool is not open');
    return active;
  }

  /** Bytes in segment files not yet deleted. */
  get usedBytes(): number {
    let used = 0;
    for (const segment of this.segments) used += segment.size;
    return used;
  }

  /** Bytes appended and not yet confirmed by InfluxDB: the backlog. */
  get pendingBytes(): number {
    let pending = 0;
    for (const segment of this.segments) pending += segment.size - segment.confirmed;
    return pending;
  }

  /** When the oldest unconfirmed byte was appended, or undefined with nothing pending. */
  get oldestPendingSince(): number | undefined {
    return this.segments.find((segment) => segment.confirmed < segment.size)?.since;
  }

  /** Bytes appended and not yet handed to the drainer by `read`. */
  get unreadBytes(): number {
    let unread = 0;
    for (const segment of this.segments) {
      if (segment.id > this.cursor.segment) unread += segment.size;
      else if (segment.id === this.cursor.segment) unread += segment.size - this.cursor.offset;
    }
    return unread;
  }

  get full(): boolean {
    return this.pendingBytes >= this.config.maxBytes;
  }

  /** Throws SpoolFullError when the backlog has reached `maxBytes`. */
  checkRoom(): void {
    const pending = this.pendingBytes;
    if (pending >= this.config.maxBytes) throw new SpoolFullError(pending, this.config.maxBytes);
  }

  /**
   * Appends whole lines (each ending in a newline). Synchronous on purpose: the messages these lines
   * came from are acknowledged right after, and the bytes must be in the kernel by then. Throws
   * SpoolFullError instead of growing past `maxBytes`.
   */
  append(text: string): void {
    this.checkRoom();
    const active = this.active;
    // The backlog's age is that of its oldest unconfirmed byte: a segment everything of which was
    // confirmed starts its age afresh with this append.
    if (active.confirmed === active.size) active.since = this.now();
    const data = Buffer.from(text);
    this.writeWhole(data, active.size);
    active.size += data.length;
    this.dirty = true;
    if (this.config.fsync === 'always') this.sync();
    if (active.size >= this.config.segmentBytes) this.seal();
    for (const listener of this.listeners) listener();
  }

  /**
   * Writes all of `data` or nothing: a write the kernel takes only part of (a disk that fills in the
   * middle of it) is continued, and a failure cuts the file back to `size`, so the caller's PUBACKs
   * never leave for a line only half on disk and the next append does not glue onto a torn one.
   */
  private writeWhole(data: Buffer, size: number): void {
    const fd = this.fd as number;
    let written = 0;
    try {
      while (written < data.length) written += writeSync(fd, data, written, data.length - written);
    } catch (error) {
      ftruncateSync(fd, size);
      throw error;
    }
  }

  /** Calls `listener` after every append (the drainer waits on it); returns the unsubscribe. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private seal(): void {
    const active = this.active;
    this.sync();
    closeSync(this.fd as number);
    active.sealed = true;
    this.openSegment(active.id + 1);
  }

  private sync(): void {
    if (!this.dirty || this.fd === undefined) return;
    fdatasyncSync(this.fd);
    this.dirty = false;
  }

  /** Where the next append goes: what a journal snapshot taken now covers. */
  get position(): SpoolPosition {
    const active = this.active;
    return { segment: active.id, offset: active.size };
  }

  /**
   * The next run of whole lines after the read cursor, within one segment, at most `maxLines` points
   * and about `maxBytes`; undefined when everything appended has been read.
   */
  read(maxLines: number, maxBytes: number): SpoolRead | undefined {
    for (;;) {
      const segment = this.segments.find((s) => s.id === this.cursor.segment) ?? this.segments[0];
      if (segment === undefined) return undefined;
      if (segment.id !== this.cursor.segment) this.cursor = { segment: segment.id, offset: 0 };
      const available = segment.size - this.cursor.offset;
      if (available > 0) {
        const lines = this.readLines(segment, Math.min(available, maxBytes), maxLines);
        if (lines.bytes > 0) {
          this.cursor.offset += lines.bytes;
          return { segment: segment.id, ...lines };
        }
      }
      if (!segment.sealed) return undefined;
      const next = this.segments.find((s) => s.id > segment.id);
      if (next === undefined) return undefined;
      this.cursor = { segment: next.id, offset: 0 };
    }
  }

  private readLines(segment: Segment, length: number, maxLines: number): ChunkLines {
    let size = length;
    for (;;) {
      const chunk = Buffer.allocUnsafe(size);
      const fd = openSync(segmentPath(this.dir, segment.id), 'r');
      let read: number;
      try {
        read = readSync(fd, chunk, 0, size, this.cursor.offset);
      } finally {
        closeSync(fd);
      }
      const lines = takeLines(chunk.subarray(0, read), maxLines);
      // One line longer than the byte budget: read the whole of it.
      if (lines.bytes > 0 || size >= segment.size - this.cursor.offset) return lines;
      size = Math.min(size * 2, segment.size - this.cursor.offset);
    }
  }

  /** InfluxDB stored a run read earlier; a segment all of whose bytes are stored (and journaled) goes. */
  confirm(read: Pick<SpoolRead, 'segment' | 'bytes'>): void {
    const segment = this.segments.find((s) => s.id === read.segment);
    if (segment === undefined) return;
    segment.confirmed += read.bytes;
    // A slow trickle would keep one segment open (and on disk) for ever; once all of it is stored
    // and it holds a fair amount, a new one is opened so this one can go.
    if (!segment.sealed && segment.confirmed === segment.size && segment.size >= ROTATE_CONFIRMED_BYTES) {
      this.seal();
    }
    this.deleteDone();
  }

  /** The sequence journal's snapshot covers every note in segments below `segment`. */
  releaseBelow(segment: number): void {
    this.releasedBelow = Math.max(this.releasedBelow, segment);
    this.deleteDone();
  }

  private deleteDone(): void {
    for (;;) {
      const first = this.segments[0];
      if (first === undefined || !first.sealed || first.confirmed < first.size) return;
      if (first.id >= this.releasedBelow) return;
      unlinkSync(segmentPath(this.dir, first.id));
      this.segments.shift();
    }
  }

  /** Notes (sequence journal lines) from `from` on, in order: what a snapshot taken at `from` misses. */
  notesSince(from: SpoolPosition): string[] {
    const notes: string[] = [];
    for (const segment of this.segments) {
      if (segment.id < from.segment || segment.size === 0) continue;
      const offset = segment.id === from.segment ? Math.min(from.offset, segment.size) : 0;
      const chunk = Buffer.allocUnsafe(segment.size - offset);
      const fd = openSync(segmentPath(this.dir, segment.id), 'r');
      try {
        readSync(fd, chunk, 0, chunk.length, offset);
      } finally {
        closeSync(fd);
      }
      notes.push(...takeLines(chunk, Number.POSITIVE_INFINITY).notes);
    }
    return notes;
  }

  /** Flushes to disk and closes; unconfirmed data stays for the next run. */
  close(): void {
    clearInterval(this.syncTimer);
    if (this.fd === undefined) return;
    this.sync();
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/** The size of a segment's whole lines, cutting a line a power cut left without its newline. */
function wholeLinesSize(path: string): number {
  const size = statSync(path).size;
  if (size === 0) return 0;
  const fd = openSync(path, 'r');
  try {
    const tail = Buffer.allocUnsafe(Math.min(size, 64 * 1024));
    const read = readSync(fd, tail, 0, tail.length, size - tail.length);
    const lastNewline = tail.subarray(0, read).lastIndexOf(0x0a);
    const whole = lastNewline < 0 ? size - read : size - read + lastNewline + 1;
    if (whole !== size) truncateSync(path, whole);
    return whole;
  } finally {
    closeSync(fd);
  }
}
