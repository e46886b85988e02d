/** Firmata 2.x command bytes (https://github.com/firmata/protocol/blob/master/protocol.md). */
export const FIRMATA = {
  DIGITAL_MESSAGE: 0x90,
  REPORT_ANALOG: 0xc0,
  REPORT_DIGITAL: 0xd0,
  ANALOG_MESSAGE: 0xe0,
  START_SYSEX: 0xf0,
  SET_PIN_MODE: 0xf4,
  SET_DIGITAL_PIN_VALUE: 0xf5,
  END_SYSEX: 0xf7,
  REPORT_VERSION: 0xf9,
  SYSTEM_RESET: 0xff,
} as const;

/** Sysex command bytes (the byte after START_SYSEX). */
export const SYSEX = {
  ANALOG_MAPPING_QUERY: 0x69,
  ANALOG_MAPPING_RESPONSE: 0x6a,
  CAPABILITY_QUERY: 0x6b,
  CAPABILITY_RESPONSE: 0x6c,
  PIN_STATE_QUERY: 0x6d,
  PIN_STATE_RESPONSE: 0x6e,
  STRING_DATA: 0x71,
  I2C_REQUEST: 0x76,
  I2C_REPLY: 0x77,
  I2C_CONFIG: 0x78,
  QUERY_FIRMWARE: 0x79,
  SAMPLING_INTERVAL: 0x7a,
} as const;

/**
 * One whole message. `channel` is the low nibble of a channel message (analog channel, digital
 * port); `data` holds the 7-bit bytes after the command (for sysex: after the sysex command, without
 * END_SYSEX).
 */
export type FirmataFrame =
  | { kind: 'channel'; command: number; channel: number; data: number[] }
  | { kind: 'system'; command: number; data: number[] }
  | { kind: 'sysex'; command: number; data: number[] };

export interface FrameBatch {
  frames: FirmataFrame[];
  /** Bytes that belong to no valid message (noise, an unknown command, a message cut short). */
  junkBytes: number;
}

/** Longest sysex message accepted; StandardFirmata's own input buffer holds 64 bytes, replies are short. */
export const MAX_SYSEX_BYTES = 1024;

/** Who sent the stream: the board's REPORT_VERSION carries the version, the host's asks for it. */
export type FirmataSender = 'board' | 'host';

/** Data bytes after each command byte; a command absent here is not Firmata. */
function dataLength(command: number, sender: FirmataSender): number | undefined {
  if (command < 0xf0) {
    const kind = command & 0xf0;
    if (kind === FIRMATA.DIGITAL_MESSAGE || kind === FIRMATA.ANALOG_MESSAGE) return 2;
    if (kind === FIRMATA.REPORT_ANALOG || kind === FIRMATA.REPORT_DIGITAL) return 1;
    return undefined;
  }
  if (command === FIRMATA.REPORT_VERSION) return sender === 'board' ? 2 : 0;
  if (command === FIRMATA.SET_PIN_MODE || command === FIRMATA.SET_DIGITAL_PIN_VALUE) return 2;
  if (command === FIRMATA.SYSTEM_RESET) return 0;
  return undefined;
}

function toFrame(bytes: readonly number[]): FirmataFrame {
  const [command = 0, ...rest] = bytes;
  if (command === FIRMATA.START_SYSEX) {
    const [sysex = 0, ...data] = rest;
    return { kind: 'sysex', command: sysex, data: data.slice(0, -1) };
  }
  if (command < 0xf0)
    return { kind: 'channel', command: command & 0xf0, channel: command & 0x0f, data: rest };
  return { kind: 'system', command, data: rest };
}

/**
 * Cuts the Firmata byte stream (either direction) into messages and counts the bytes that fit none.
 * Firmata has no checksum: this catches noise that breaks the framing, not a flipped data bit. Pure.
 */
export class FirmataFrameReader {
  private pending: number[] = [];
  private expected: number | undefined;

  constructor(private readonly sender: FirmataSender) {}

  push(chunk: Uint8Array): FrameBatch {
    const batch: FrameBatch = { frames: [], junkBytes: 0 };
    for (const byte of chunk) this.take(byte, batch);
    return batch;
  }

  private take(byte: number, batch: FrameBatch): void {
    if (byte & 0x80) {
      this.takeCommand(byte, batch);
      return;
    }
    if (this.pending.length === 0) {
      batch.junkBytes += 1;
      return;
    }
    this.pending.push(byte);
    if (this.isSysex()) {
      if (this.pending.length > MAX_SYSEX_BYTES) this.drop(batch);
    } else if (this.pending.length === this.expected) this.finish(batch);
  }

  private takeCommand(byte: number, batch: FrameBatch): void {
    if (byte === FIRMATA.END_SYSEX && this.isSysex() && this.pending.length >= 2) {
      this.pending.push(byte);
      this.finish(batch);
      return;
    }
    // A command byte in the middle of a message cuts it short.
    this.drop(batch);
    if (byte === FIRMATA.START_SYSEX) {
      this.pending = [byte];
      return;
    }
    const length = dataLength(byte, this.sender);
    if (length === undefined) {
      batch.junkBytes += 1;
      return;
    }
    this.pending = [byte];
    this.expected = length + 1;
    if (length === 0) this.finish(batch);
  }

  private isSysex(): boolean {
    return this.pending[0] === FIRMATA.START_SYSEX;
  }

  private finish(batch: FrameBatch): void {
    batch.frames.push(toFrame(this.pending));
    this.pending = [];
    this.expected = undefined;
  }

  private drop(batch: FrameBatch): void {
    batch.junkBytes += this.pending.length;
    this.pending = [];
    this.expected = undefined;
  }
}

/** A 14-bit value from its two 7-bit halves, least significant first (analog values, sysex words). */
export function fromTwo7Bit(lsb: number, msb: number): number {
  return (lsb & 0x7f) | ((msb & 0x7f) << 7);
}

/** Bytes sent as pairs of 7-bit halves (I2C data, strings) decoded back to bytes. */
export function decodeTwo7BitBytes(data: readonly number[]): number[] {
  const bytes: number[] = [];
  for (let i = 0; i + 1 < data.length; i += 2) bytes.push(fromTwo7Bit(data[i] ?? 0, data[i + 1] ?? 0) & 0xff);
  return bytes;
}

/** Bytes encoded as pairs of 7-bit halves, least significant first. */
export function encodeTwo7BitBytes(bytes: readonly number[]): number[] {
  return bytes.flatMap((byte) => [byte & 0x7f, (byte >> 7) & 0x7f]);
}

/** An I2C_REPLY's payload: the device, the register read and the bytes it gave. */
export interface I2cReply {
  address: number;
  register: number;
  bytes: number[];
}

export function parseI2cReply(frame: FirmataFrame): I2cReply | undefined {
  if (frame.kind !== 'sysex' || frame.command !== SYSEX.I2C_REPLY || frame.data.length < 4) return undefined;
  const [a0 = 0, a1 = 0, r0 = 0, r1 = 0] = frame.data;
  return {
    address: fromTwo7Bit(a0, a1),
    register: fromTwo7Bit(r0, r1),
    bytes: decodeTwo7BitBytes(frame.data.slice(4)),
  };
}
