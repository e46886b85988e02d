import { DAY_MS, dayPrefix, isoTime, isPlainTime } from './iso-time.js';

/** A piece of a streamed response body: text, or text already encoded as UTF-8. */
export type BodyPart = string | Buffer;

/** 0x30, the code of the digit 0. */
const ZERO = 48;

/**
 * A body part written straight into bytes, for the hot arrays of a streamed answer (a raw year is a
 * hundred thousand points). Building each point as a string and the chunk as a rope of them made
 * garbage the collector spent more time on than the encoding itself, and the socket write had to
 * flatten and encode the rope again. Text goes in as UTF-8 (`text`); numbers, times and JSON or CSV
 * punctuation, known to be ASCII, are copied code by code without a call into the runtime (`ascii`).
 */
export class ByteText {
  private buffer: Buffer;
  private length = 0;

  constructor(private readonly capacity = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  /** Any text, as UTF-8. */
  text(text: string): void {
    // A UTF-16 code unit takes at most three bytes in UTF-8.
    this.reserve(text.length * 3);
    this.length += this.buffer.write(text, this.length, 'utf8');
  }

  /** Text of ASCII characters only (the caller knows it is): one byte per character. */
  ascii(text: string): void {
    this.reserve(text.length);
    const { buffer } = this;
    let at = this.length;
    for (let i = 0; i < text.length; i++) buffer[at++] = text.charCodeAt(i);
    this.length = at;
  }

  /** Characters `start` to `end` of an ASCII text (a number as InfluxDB wrote it), without slicing it out. */
  asciiRange(text: string, start: number, end: number): void {
    this.reserve(end - start);
    const { buffer } = this;
    let at = this.length;
    for (let i = start; i < end; i++) buffer[at++] = text.charCodeAt(i);
    this.length = at;
  }

  /** Bytes encoded before (a CSV row's tag cells, the same on every row of a chunk). */
  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    const { buffer } = this;
    let at = this.length;
    for (let i = 0; i < bytes.length; i++) buffer[at++] = bytes[i] as number;
    this.length = at;
  }

  /** isoTime(epochMs), written digit by digit after the day's cached date. */
  isoTime(epochMs: number): void {
    if (!isPlainTime(epochMs)) {
      this.ascii(isoTime(epochMs));
      return;
    }
    const day = Math.floor(epochMs / DAY_MS);
    this.ascii(dayPrefix(day));
    let rest = epochMs - day * DAY_MS;
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const seconds = Math.floor(rest / 1000);
    const millis = rest - seconds * 1000;
    this.reserve(13);
    const { buffer } = this;
    let at = this.length;
    buffer[at++] = ZERO + Math.floor(hours / 10);
    buffer[at++] = ZERO + (hours % 10);
    buffer[at++] = 0x3a; // :
    buffer[at++] = ZERO + Math.floor(minutes / 10);
    buffer[at++] = ZERO + (minutes % 10);
    buffer[at++] = 0x3a; // :
    buffer[at++] = ZERO + Math.floor(seconds / 10);
    buffer[at++] = ZERO + (seconds % 10);
    buffer[at++] = 0x2e; // .
    buffer[at++] = ZERO + Math.floor(millis / 100);
    buffer[at++] = ZERO + (Math.floor(millis / 10) % 10);
    buffer[at++] = ZERO + (millis % 10);
    buffer[at++] = 0x5a; // Z
    this.length = at;
  }

  /**
   * The bytes written so far; the writer starts empty again, as large as this part needed, so the
   * next chunk's part (as large, as a rule) is not grown and copied again and again.
   */
  take(): Buffer {
    const bytes = this.buffer.subarray(0, this.length);
    this.buffer = Buffer.allocUnsafe(Math.max(this.capacity, this.length));
    this.length = 0;
    return bytes;
  }

  private reserve(more: number): void {
    if (this.length + more <= this.buffer.length) return;
    const larger = Buffer.allocUnsafe(Math.max(this.length + more, this.buffer.length * 2));
    this.buffer.copy(larger, 0, 0, this.length);
    this.buffer = larger;
  }
}
