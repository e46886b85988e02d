import type { ReadFunction } from './config.js';
import { crcMatches, withCrc } from './crc16.js';

/**
 * Modbus RTU frames for reading registers (functions 3 and 4), both directions:
 * request  = unit, function, address (2), count (2), CRC (2)
 * reply    = unit, function, byte count, registers (2 each), CRC (2)
 * exception= unit, function | 0x80, exception code, CRC (2)
 */

/** The most registers one read may ask for (Modbus Application Protocol 6.3). */
export const MAX_READ_REGISTERS = 125;
export const READ_REQUEST_BYTES = 8;
const EXCEPTION_BYTES = 5;
const EXCEPTION_FLAG = 0x80;

export interface ReadRequest {
  unitId: number;
  function: ReadFunction;
  address: number;
  /** Registers asked for, 1-125. */
  count: number;
}

export type ReplyStatus =
  /** More bytes are needed; `expected` is the frame length once known. */
  | { kind: 'incomplete'; received: number; expected: number | undefined }
  | { kind: 'registers'; words: number[] }
  | { kind: 'exception'; exceptionCode: number }
  /** A frame of the right shape whose CRC does not match: corrupted on the line. */
  | { kind: 'crc' }
  /** Bytes that cannot be the reply to the request. */
  | { kind: 'invalid'; reason: string };

export function encodeReadRequest(request: ReadRequest): Buffer {
  const body = Buffer.alloc(6);
  body.writeUInt8(request.unitId, 0);
  body.writeUInt8(request.function, 1);
  body.writeUInt16BE(request.address, 2);
  body.writeUInt16BE(request.count, 4);
  return withCrc(body);
}

/** A request frame of READ_REQUEST_BYTES with a valid CRC, read field by field (the slave's side). */
export function decodeRequestFrame(
  frame: Uint8Array,
): { unitId: number; functionCode: number; address: number; count: number } | undefined {
  if (frame.length !== READ_REQUEST_BYTES || !crcMatches(frame)) return undefined;
  const view = Buffer.from(frame.buffer, frame.byteOffset, frame.length);
  return {
    unitId: view.readUInt8(0),
    functionCode: view.readUInt8(1),
    address: view.readUInt16BE(2),
    count: view.readUInt16BE(4),
  };
}

export function registersReply(unitId: number, fn: number, words: readonly number[]): Buffer {
  const body = Buffer.alloc(3 + words.length * 2);
  body.writeUInt8(unitId, 0);
  body.writeUInt8(fn, 1);
  body.writeUInt8(words.length * 2, 2);
  words.forEach((word, index) => {
    body.writeUInt16BE(word, 3 + index * 2);
  });
  return withCrc(body);
}

export function exceptionReply(unitId: number, fn: number, exceptionCode: number): Buffer {
  return withCrc(Buffer.from([unitId, fn | EXCEPTION_FLAG, exceptionCode]));
}

const hex = (byte: number | undefined) => `0x${(byte ?? 0).toString(16).padStart(2, '0')}`;

function frameOf(bytes: Uint8Array, length: number, parse: (frame: Buffer) => ReplyStatus): ReplyStatus {
  if (bytes.length < length) return { kind: 'incomplete', received: bytes.length, expected: length };
  const frame = Buffer.from(bytes.buffer, bytes.byteOffset, length);
  return crcMatches(frame) ? parse(frame) : { kind: 'crc' };
}

/**
 * What the bytes received since `request` went out amount to so far. Decides as soon as the
 * first bytes show they cannot be the reply, so garbage is reported without waiting for a timeout.
 */
export function readReply(bytes: Uint8Array, request: ReadRequest): ReplyStatus {
  if (bytes.length === 0) return { kind: 'incomplete', received: 0, expected: undefined };
  if (bytes[0] !== request.unitId) {
    return { kind: 'invalid', reason: `reply starts with unit ${bytes[0]}, expected ${request.unitId}` };
  }
  if (bytes.length < 2) return { kind: 'incomplete', received: bytes.length, expected: undefined };
  const fn = bytes[1];
  if (fn === (request.function | EXCEPTION_FLAG)) {
    return frameOf(bytes, EXCEPTION_BYTES, (frame) => ({ kind: 'exception', exceptionCode: frame[2] ?? 0 }));
  }
  if (fn !== request.function) {
    return {
      kind: 'invalid',
      reason: `reply has function code ${hex(fn)}, expected ${hex(request.function)}`,
    };
  }
  if (bytes.length < 3) return { kind: 'incomplete', received: bytes.length, expected: undefined };
  const byteCount = request.count * 2;
  if (bytes[2] !== byteCount) {
    return { kind: 'invalid', reason: `reply announces ${bytes[2]} data bytes, expected ${byteCount}` };
  }
  return frameOf(bytes, 5 + byteCount, (frame) => ({
    kind: 'registers',
    words: Array.from({ length: request.count }, (_, index) => frame.readUInt16BE(3 + index * 2)),
  }));
}
