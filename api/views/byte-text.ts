import { DAY_MS, dayPrefix, isoTime, isPlainTime } from './iso-time.js';

/** A piece of a streamed response body: text, or text already encoded as UTF-8. */
export type BodyPart = string | Buffer;

const COLON = 0x3a;
const DOT = 0x2e;
const ZULU = 0x5a;

/** The ASCII digits of 0..count-1, `width` each, zero-padded, one after the other. */
function digitTable(count: number, width: number): Uint8Array {
  return Buffer.from(
    Array.from({ length: count }, (_, n) => String(n).padStart(width, '0')).join(''),
    'latin1',
  );
}

/** `HH:MM` of each minute of the day. */
const HOURS_MINUTES = Buffer.from(
  Array.from(
    { length: 1440 },
    (_, m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`,
  ).join(''),
  'latin1',
);
const TWO_DIGITS = digitTable(60, 2);
const THREE_DIGITS = digitTable(1000, 3);

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
  /** The day isoTime wrote last, and its `YYYY-MM-DDT` (points of a series share a day 288 at a time). */
  private day = Number.NaN;
  private dayBytes: Uint8Array = new Uint8Array(0);

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

  /** isoTime(epochMs): the day's date cached, the time of day from tables of its digits. */
  isoTime(epochMs: number): void {
    if (!isPlainTime(epochMs)) {
      this.ascii(isoTime(epochMs));
      return;
    }
    const day = Math.floor(epochMs / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.dayBytes = Buffer.from(dayPrefix(day), 'latin1');
    }
    // Whole numbers below 2^31 from here on, so `| 0` truncates as Math.floor would.
    const msOfDay = epochMs - day * DAY_MS;
    const minute = (msOfDay / 60_000) | 0;
    const msOfMinute = msOfDay - minute * 60_000;
    const second = (msOfMinute / 1000) | 0;
    const milli = msOfMinute - second * 1000;
    const { dayBytes } = this;
    this.reserve(dayBytes.length + 13);
    const { buffer } = this;
    let at = this.length;
    for (let i = 0; i < dayBytes.length; i++) buffer[at++] = dayBytes[i] as number;
    const hm = minute * 5;
    for (let i = 0; i < 5; i++) buffer[at++] = HOURS_MINUTES[hm + i] as number;
    buffer[at++] = COLON;
    buffer[at++] = TWO_DIGITS[second * 2] as number;
    buffer[at++] = TWO_DIGITS[second * 2 + 1] as number;
    buffer[at++] = DOT;
    buffer[at++] = THREE_DIGITS[milli * 3] as number;
    buffer[at++] = THREE_DIGITS[milli * 3 + 1] as number;
    buffer[at++] = THREE_DIGITS[milli * 3 + 2] as number;
    buffer[at++] = ZULU;
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
