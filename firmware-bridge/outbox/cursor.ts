import type { Logger } from 'pino';
import {
  completeLines,
  parseStoredLine,
  readSegmentRange,
  type Segment,
  type StoredMessage,
} from './segments.js';

/** What a cursor needs from its outbox. */
export interface CursorSource {
  segments(): readonly Segment[];
  /** Acknowledged or dropped: nothing left to publish. */
  isDone(seq: number): boolean;
  /** A seq the segments should hold but do not (a corrupt line): the outbox writes it off. */
  lost(seq: number): void;
  /** Why a stored message may not be published (see Outbox.cursor), or undefined when it may. */
  refusal(message: StoredMessage): string | undefined;
  /** Writes off a message that can never be published. */
  discard(seq: number, readings: number, reason: string): void;
  readonly logger: Logger;
}

/**
 * Reads stored messages in seq order, lazily: at most the unread rest of one segment is in memory.
 * It follows appends to the newest segment and skips what was acknowledged or dropped meanwhile.
 */
export class OutboxCursor {
  private segment: Segment | undefined;
  private offset = 0;
  private buffered: StoredMessage[] = [];

  constructor(
    private readonly source: CursorSource,
    private wantSeq: number,
  ) {}

  /** The next message still to publish, or undefined when the cursor has caught up with the writer. */
  async next(): Promise<StoredMessage | undefined> {
    for (;;) {
      const message = this.buffered.shift();
      if (message !== undefined) {
        if (!this.source.isDone(message.seq)) return message;
      } else if (!(await this.fill())) {
        return undefined;
      }
    }
  }

  private async fill(): Promise<boolean> {
    const segments = this.source.segments();
    const holding = segments.findLastIndex((segment) => segment.firstSeq <= this.wantSeq);
    for (let index = Math.max(0, holding); index < segments.length; index += 1) {
      const segment = segments[index] as Segment;
      if (segment !== this.segment) {
        this.segment = segment;
        this.offset = 0;
        this.wantSeq = Math.max(this.wantSeq, segment.firstSeq);
      }
      if (this.offset < segment.bytes && (await this.readFrom(segment))) return true;
    }
    return false;
  }

  private async readFrom(segment: Segment): Promise<boolean> {
    let text: string;
    try {
      text = await readSegmentRange(segment.path, this.offset, segment.bytes);
    } catch (error) {
      // The quota removed the segment while we read it; the next fill starts from the segments that remain.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    const { lines, bytes } = completeLines(text);
    this.offset += bytes;
    for (const line of lines) this.accept(line, segment);
    return this.buffered.length > 0;
  }

  private accept(line: string, segment: Segment): void {
    const message = parseStoredLine(line);
    if (message === undefined) {
      this.source.logger.error(
        { file: segment.path, line: line.slice(0, 200) },
        'outbox: corrupt line skipped',
      );
      return;
    }
    if (message.seq < this.wantSeq) return;
    for (let seq = this.wantSeq; seq < message.seq; seq += 1) this.source.lost(seq);
    this.wantSeq = message.seq + 1;
    const refusal = this.source.refusal(message);
    if (refusal === undefined) this.buffered.push(message);
    else this.source.discard(message.seq, message.readings, refusal);
  }
}
