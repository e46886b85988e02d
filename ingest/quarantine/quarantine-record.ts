import {
  boundText,
  type DecodeErrorCode,
  type GatewayAddress,
  MAX_REASON_CHARS,
} from '../../protocol/index.js';

/** Why the decoder refuses a message: the contract's decode errors, or a topic outside it. */
export type RefusalCode = DecodeErrorCode | 'TOPIC_INVALID';
/** Why valid readings are refused: outside what the ingest takes (pipeline/reading-limits.ts). */
export type LimitRefusalCode = 'TIME_OUT_OF_RANGE' | 'SERIES_LIMIT';

/**
 * Why a message was set aside: a decode refusal (RefusalCode), or
 * WRITE_REJECTED: InfluxDB refused the points themselves for good (400 parse error or field type
 * conflict, 413 too large), or
 * INGEST_FAILED: an unexpected error while handling it, or
 * INGEST_STALLED: handling it once left the consumer waiting until the watchdog restarted it, or
 * ALERTS_FAILED: its readings were stored but evaluating the alert rules on them failed, or
 * TIME_OUT_OF_RANGE / SERIES_LIMIT: valid, but outside what the ingest takes (reading-limits.ts).
 * Each is quarantined so that one poison message cannot stall the whole queue behind it.
 */
export type QuarantineCode =
  | RefusalCode
  | LimitRefusalCode
  | 'WRITE_REJECTED'
  | 'INGEST_FAILED'
  | 'INGEST_STALLED'
  | 'ALERTS_FAILED';

/**
 * Enough of a payload to diagnose it. Everything in a record comes from a sender we do not trust, so
 * each field has a bound: a gateway flooding bad messages costs a known amount per record, and a page
 * of records stays small enough to list.
 */
export const QUARANTINE_PAYLOAD_LIMIT_BYTES = 8 * 1024;
/** MQTT allows 64 KiB topics; ours are a few dozen characters, so anything longer is cut. */
export const QUARANTINE_TOPIC_LIMIT_CHARS = 256;

/**
 * A dead letter. It records the topic rather than the publisher's MQTT client id, which a subscriber
 * never sees; the topic identifies the gateway because the broker lets only that gateway publish there.
 */
export interface QuarantineRecord {
  receivedAt: number;
  station?: string;
  gateway?: string;
  code: QuarantineCode;
  /** Cut to QUARANTINE_TOPIC_LIMIT_CHARS. */
  topic: string;
  /** Cut to MAX_REASON_CHARS. */
  reason: string;
  /** The payload as UTF-8 text, cut to QUARANTINE_PAYLOAD_LIMIT_BYTES. */
  payload: string;
  /** The payload's full size. */
  bytes: number;
}

export interface QuarantineInput {
  receivedAt: number;
  topic: string;
  payload: Uint8Array;
  code: QuarantineCode;
  reason: string;
  address?: GatewayAddress;
  /** The station of a topic that names no gateway (a rule's action topic). */
  station?: string;
}

/** Cuts UTF-8 text to at most `maxBytes`, never inside a multi-byte character. */
export function truncateUtf8(bytes: Uint8Array, maxBytes: number): string {
  let end = Math.min(bytes.byteLength, maxBytes);
  // Back off continuation bytes (10xxxxxx) so the cut falls on a character boundary.
  if (end < bytes.byteLength) while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return Buffer.from(bytes.buffer, bytes.byteOffset, end).toString('utf8');
}

export function buildQuarantineRecord(input: QuarantineInput): QuarantineRecord {
  return {
    receivedAt: input.receivedAt,
    topic: boundText(input.topic, QUARANTINE_TOPIC_LIMIT_CHARS),
    ...(input.address
      ? { station: input.address.station, gateway: input.address.gateway }
      : input.station === undefined
        ? {}
        : { station: input.station }),
    code: input.code,
    reason: boundText(input.reason, MAX_REASON_CHARS),
    payload: truncateUtf8(input.payload, QUARANTINE_PAYLOAD_LIMIT_BYTES),
    bytes: input.payload.byteLength,
  };
}
