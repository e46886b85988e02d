import { open, stat } from 'node:fs/promises';
import type { Clock, Timer } from '../../clock.js';

/** Bytes read per step, so a year-long backlog does not have to fit in memory at once. */
const CHUNK_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;
/**
 * LoggerNet rotates a table file by renaming it and then creating the new one: for a moment the
 * path names nothing. A file that was read before is reported missing only once it has been gone
 * this long, so a rotation is not an outage on the technician's screen.
 */
export const ROTATION_GRACE_MS = 5000;

export interface FileFollowerOptions {
  path: string;
  pollIntervalMs: number;
  clock: Clock;
  /** Complete lines, in order. `backlog`: they were in the file when following began. */
  onLines(lines: string[], backlog: boolean): void;
  /** The file was truncated or replaced by a new one: what follows starts from its first line. */
  onRestart(reason: 'truncated' | 'replaced'): void;
  /** The file cannot be read (yet); called once per outage, and onReadable() when it is back. */
  onUnreadable(error: Error): void;
  onReadable(): void;
}

/**
 * Follows a file another program appends to, like `tail -F`: polls its size, reads what was added,
 * and starts over from the top when the file shrinks or is replaced (another inode). Polling rather
 * than fs.watch: it works the same on every file system, network mounts included.
 */
export class FileFollower {
  private timer: Timer | undefined;
  private polling: Promise<void> = Promise.resolve();
  private stopped = true;
  private offset = 0;
  private inode: number | undefined;
  private partial: Buffer = Buffer.alloc(0);
  private unreadable = false;
  private missingSince: number | undefined;
  private first = true;

  constructor(private readonly options: FileFollowerOptions) {}

  /** Resolves after the first poll: the file's present content has been handed over. */
  async start(): Promise<void> {
    this.stopped = false;
    this.polling = this.poll();
    await this.polling;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.polling;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      this.polling = this.poll();
    }, this.options.pollIntervalMs);
  }

  private async poll(): Promise<void> {
    try {
      await this.readNew();
      if (this.unreadable) this.options.onReadable();
      this.unreadable = false;
      this.missingSince = undefined;
    } catch (error) {
      if (!this.unreadable && !this.rotating(error as NodeJS.ErrnoException)) {
        this.options.onUnreadable(error as Error);
        this.unreadable = true;
      }
    }
    this.first = false;
    this.schedule();
  }

  /** Whether a missing file may still be in the middle of a rotation (see ROTATION_GRACE_MS). */
  private rotating(error: NodeJS.ErrnoException): boolean {
    if (error.code !== 'ENOENT' || this.inode === undefined) return false;
    const now = this.options.clock.now();
    this.missingSince ??= now;
    return now - this.missingSince < ROTATION_GRACE_MS;
  }

  private async readNew(): Promise<void> {
    const info = await stat(this.options.path);
    if (this.inode !== undefined && info.ino !== this.inode) this.startOver('replaced');
    else if (info.size < this.offset) this.startOver('truncated');
    this.inode = info.ino;
    if (info.size === this.offset) return;
    const handle = await open(this.options.path, 'r');
    try {
      while (this.offset < info.size && !this.stopped) {
        const buffer = Buffer.alloc(Math.min(CHUNK_BYTES, info.size - this.offset));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        this.take(buffer.subarray(0, bytesRead));
      }
    } finally {
      await handle.close();
    }
  }

  private startOver(reason: 'truncated' | 'replaced'): void {
    this.offset = 0;
    this.partial = Buffer.alloc(0);
    this.options.onRestart(reason);
  }

  /** Hands over the complete lines; a line still being written waits for its newline. */
  private take(chunk: Buffer): void {
    const data = this.partial.length === 0 ? chunk : Buffer.concat([this.partial, chunk]);
    const end = data.lastIndexOf(NEWLINE);
    if (end < 0) {
      this.partial = data;
      return;
    }
    this.partial = Buffer.from(data.subarray(end + 1));
    const lines = data.subarray(0, end).toString('utf8').split('\n');
    this.options.onLines(lines, this.first);
  }
}
