import type { Spool } from './spool.js';

/** After a write the disk refused, how long until the batch tries again on its own. */
const RETRY_MS = 200;

/**
 * Characters after which the texts are written without waiting for the end of the turn. MQTT.js
 * can handle hundreds of messages read at once in one turn, and texts kept that long outlived the
 * young generation's collections, which copied and then promoted them: a heap snapshot under load
 * found 482 messages' texts waiting, and collection took a fifth of the ingest's time.
 */
export const WRITE_AT_CHARS = 64 * 1024;

/**
 * The appends of one event-loop turn, written to the spool as one write at the end of the turn (or
 * every WRITE_AT_CHARS within a long one).
 * With one reading per message, a `writeSync` per message was the ingest's largest single cost; the
 * messages of one chunk from the broker are handled within one turn, so their lines can go together.
 * The text is only in memory until `flush`, so whoever acknowledges a message calls `flush` first
 * (the consumer does, just before its held PUBACKs leave; see `ack-hold.ts`). Texts keep their
 * order. A write that fails keeps the texts for the next attempt, and `add` refuses (throws) until
 * one succeeds, so the appender waits as it does for a full spool.
 */
export class AppendBatch {
  private texts: string[] = [];
  private bytes = 0;
  private scheduled = false;
  private failed = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly spool: Pick<Spool, 'append' | 'checkRoom'>,
    private readonly onFlushFailed: (error: unknown) => void,
  ) {}

  /** Characters waiting for the next flush. */
  get pendingChars(): number {
    return this.bytes;
  }

  /** Takes whole lines for the end of the turn; throws SpoolFullError, or the last write's error. */
  add(text: string): void {
    if (this.failed) this.flush();
    this.spool.checkRoom();
    this.texts.push(text);
    this.bytes += text.length;
    if (this.bytes >= WRITE_AT_CHARS) this.flushOrRetry();
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flushOrRetry();
      });
    }
  }

  /** Writes what was added, in one append; throws (keeping the texts) when the spool refuses it. */
  flush(): void {
    if (this.texts.length === 0) return;
    const text = this.texts.length === 1 ? (this.texts[0] as string) : this.texts.join('');
    try {
      this.spool.append(text);
    } catch (error) {
      this.failed = true;
      throw error;
    }
    this.texts = [];
    this.bytes = 0;
    this.failed = false;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private flushOrRetry(): void {
    const failedBefore = this.failed;
    try {
      this.flush();
    } catch (error) {
      // Said once per episode: the appender, which makes the pipeline wait, says it too.
      if (!failedBefore) this.onFlushFailed(error);
      this.retryTimer ??= setTimeout(() => {
        this.retryTimer = undefined;
        this.flushOrRetry();
      }, RETRY_MS);
      // Nothing acknowledged waits on it that would not also keep the process alive.
      this.retryTimer.unref();
    }
  }

  /** Stops retrying on its own (the owner flushes a last time before closing the spool). */
  stop(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }
}
