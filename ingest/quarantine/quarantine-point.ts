import { encodePoint, type FieldValue, QUARANTINE_MEASUREMENT } from '../../influx/index.js';
import type { QuarantineRecord } from './quarantine-record.js';

/**
 * `quarantine` point: tags code and (when the topic named one) station; fields topic, gateway,
 * reason, payload, bytes. Written with precision `ns` at a unique timestamp.
 */
export function quarantineLine(record: QuarantineRecord, timestampNs: bigint): string {
  const fields: Record<string, FieldValue> = {
    topic: { str: record.topic },
    reason: { str: record.reason },
    payload: { str: record.payload },
    bytes: { int: record.bytes },
  };
  if (record.gateway !== undefined) fields.gateway = { str: record.gateway };
  return encodePoint({
    measurement: QUARANTINE_MEASUREMENT,
    tags:
      record.station === undefined ? { code: record.code } : { code: record.code, station: record.station },
    fields,
    timestamp: timestampNs,
  });
}
