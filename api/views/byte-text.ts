/** A piece of a streamed response body: text, or text already encoded as UTF-8. */
export type BodyPart = string | Buffer;

/**
 * Text appended straight into UTF-8 bytes, for the large parts of a streamed body. Concatenated
 * strings become a rope of ten thousand pieces per chunk that the socket write must flatten and
 * encode again; in a raw year's answer that was the largest cost after the points themselves.
 */
export class ByteText {
  private buffer: Buffer;
  private length = 0;

  constructor(private readonly capacity = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  append(text: string): void {
    // A UTF-16 code unit takes at most three bytes in UTF-8.
    const most = this.length + text.length * 3;
    if (most > this.buffer.length) this.grow(most);
    this.length += this.buffer.write(text, this.length, 'utf8');
  }

  /** The bytes appended so far; the writer starts empty again. */
  take(): Buffer {
    const bytes = this.buffer.subarray(0, this.length);
    this.buffer = Buffer.allocUnsafe(this.capacity);
    this.length = 0;
    return bytes;
  }

  private grow(atLeast: number): void {
    const larger = Buffer.allocUnsafe(Math.max(atLeast, this.buffer.length * 2));
    this.buffer.copy(larger, 0, 0, this.length);
    this.buffer = larger;
  }
}
