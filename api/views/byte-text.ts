/** A piece of a streamed response body: text, or text already encoded as UTF-8. */
export type BodyPart = string | Buffer;

/** Text gathered before it is encoded: short enough that its rope is cheap to flatten. */
const PENDING_CHARS = 16 * 1024;

/**
 * Text appended straight into UTF-8 bytes, for the large parts of a streamed body. Concatenated
 * strings become a rope of ten thousand pieces per chunk that the socket write must flatten and
 * encode again; in a raw year's answer that was the largest cost after the points themselves.
 * Small appends are gathered into a short string first, as one Buffer#write per point costs more
 * than the point.
 */
export class ByteText {
  private buffer: Buffer;
  private length = 0;
  private pending = '';

  constructor(private readonly capacity = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  append(text: string): void {
    this.pending += text;
    if (this.pending.length >= PENDING_CHARS) this.encodePending();
  }

  /** The bytes appended so far; the writer starts empty again. */
  take(): Buffer {
    this.encodePending();
    const bytes = this.buffer.subarray(0, this.length);
    this.buffer = Buffer.allocUnsafe(this.capacity);
    this.length = 0;
    return bytes;
  }

  private encodePending(): void {
    // A UTF-16 code unit takes at most three bytes in UTF-8.
    const most = this.length + this.pending.length * 3;
    if (most > this.buffer.length) this.grow(most);
    this.length += this.buffer.write(this.pending, this.length, 'utf8');
    this.pending = '';
  }

  private grow(atLeast: number): void {
    const larger = Buffer.allocUnsafe(Math.max(atLeast, this.buffer.length * 2));
    this.buffer.copy(larger, 0, 0, this.length);
    this.buffer = larger;
  }
}
