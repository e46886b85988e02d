/** Lines longer than this are noise on the wire or a runaway device, not a reading. */
export const MAX_LINE_BYTES = 1024;

export type LineChunk = { kind: 'line'; text: string } | { kind: 'overflow' };

const NEWLINE = 0x0a;

/**
 * Cuts a byte stream into newline-terminated lines, holding at most `maxBytes` of an unfinished line:
 * a device that streams noise without newlines (wrong baud rate, a runaway loop) cannot exhaust
 * memory. An overlong line is dropped up to its newline and reported as it overflows, then once more
 * for every further `maxBytes` of it, so endless noise keeps being counted. Pure.
 */
export class LineBuffer {
  private parts: Buffer[] = [];
  /** Bytes of the current line so far, dropped ones included. */
  private lineBytes = 0;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): LineChunk[] {
    const out: LineChunk[] = [];
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline < 0 ? chunk.length : newline;
      this.take(chunk.subarray(start, end), out);
      if (newline < 0) break;
      if (this.lineBytes <= this.maxBytes) out.push({ kind: 'line', text: this.joined() });
      this.parts = [];
      this.lineBytes = 0;
      start = newline + 1;
    }
    return out;
  }

  private overflows(lineBytes: number): number {
    return lineBytes <= this.maxBytes ? 0 : Math.floor((lineBytes - this.maxBytes - 1) / this.maxBytes) + 1;
  }

  private take(bytes: Buffer, out: LineChunk[]): void {
    const before = this.overflows(this.lineBytes);
    this.lineBytes += bytes.length;
    for (let k = before; k < this.overflows(this.lineBytes); k += 1) out.push({ kind: 'overflow' });
    if (this.lineBytes > this.maxBytes) this.parts = [];
    else if (bytes.length > 0) this.parts.push(bytes);
  }

  private joined(): string {
    return Buffer.concat(this.parts).toString('utf8');
  }
}
