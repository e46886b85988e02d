import { encodePoint, optionalStr, QUARANTINE, recordPoint } from '../../influx/index.js';
import type { QuarantineRecord } from './quarantine-record.js';

/**
 * `quarantine` point: tags code and (when the topic named one) station; fields topic, gateway,
 * reason, payload, bytes. Written with precision `ns` at a unique timestamp.
 */
export function quarantineLine(record: QuarantineRecord, timestampNs: bigint): string {
  return encodePoint(
    recordPoint(QUARANTINE, {
      tags: { code: record.code, station: record.station },
      fields: {
        topic: { str: record.topic },
        reason: { str: record.reason },
        payload: { str: record.payload },
        bytes: { int: record.bytes },
        gateway: optionalStr(record.gateway),
      },
      timestamp: timestampNs,
    }),
  );
}
