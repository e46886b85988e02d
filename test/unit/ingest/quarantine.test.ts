import { describe, expect, it } from 'vitest';
import { quarantineLine } from '../../../ingest/quarantine/quarantine-point.js';
import {
  buildQuarantineRecord,
  QUARANTINE_PAYLOAD_LIMIT_BYTES,
  truncateUtf8,
} from '../../../ingest/quarantine/quarantine-record.js';
import { UniqueNanoClock } from '../../../ingest/quarantine/unique-nanos.js';

const T0 = 1764194400000;

describe('quarantine records', () => {
  it('keeps topic, origin, code, reason, payload text and size', () => {
    const record = buildQuarantineRecord({
      receivedAt: T0,
      topic: 'fs/v1/jinfo/gw-1/readings',
      payload: Buffer.from('{"v": 1,'),
      code: 'PAYLOAD_NOT_JSON',
      reason: 'payload is not JSON: Unexpected end',
      address: { station: 'jinfo', gateway: 'gw-1' },
    });
    expect(record).toEqual({
      receivedAt: T0,
      topic: 'fs/v1/jinfo/gw-1/readings',
      station: 'jinfo',
      gateway: 'gw-1',
      code: 'PAYLOAD_NOT_JSON',
      reason: 'payload is not JSON: Unexpected end',
      payload: '{"v": 1,',
      bytes: 8,
    });
    expect(quarantineLine(record, 5n)).toBe(
      'quarantine,code=PAYLOAD_NOT_JSON,station=jinfo topic="fs/v1/jinfo/gw-1/readings",' +
        'reason="payload is not JSON: Unexpected end",payload="{\\"v\\": 1,",bytes=8i,gateway="gw-1" 5',
    );
  });

  it('leaves station and gateway out when the topic named none', () => {
    const record = buildQuarantineRecord({
      receivedAt: T0,
      topic: 'x',
      payload: Buffer.from('a'),
      code: 'TOPIC_INVALID',
      reason: 'r',
    });
    expect(quarantineLine(record, 1n)).toBe(
      'quarantine,code=TOPIC_INVALID topic="x",reason="r",payload="a",bytes=1i 1',
    );
  });

  it('cuts a large payload to 8 KiB, never inside a UTF-8 character, and keeps its full size', () => {
    const payload = Buffer.from('é'.repeat(QUARANTINE_PAYLOAD_LIMIT_BYTES));
    const record = buildQuarantineRecord({
      receivedAt: T0,
      topic: 't',
      payload,
      code: 'PAYLOAD_TOO_LARGE',
      reason: 'r',
    });
    expect(record.bytes).toBe(2 * QUARANTINE_PAYLOAD_LIMIT_BYTES);
    expect(Buffer.byteLength(record.payload)).toBe(QUARANTINE_PAYLOAD_LIMIT_BYTES);
    expect(truncateUtf8(Buffer.from('aé'), 2)).toBe('a');
    expect(truncateUtf8(Buffer.from('aé'), 3)).toBe('aé');
  });

  it('gives every record a distinct nanosecond timestamp, even within one millisecond', () => {
    const clock = new UniqueNanoClock();
    const stamps = [clock.next(T0), clock.next(T0), clock.next(T0 - 5), clock.next(T0 + 1)];
    expect(stamps).toEqual([
      BigInt(T0) * 1_000_000n,
      BigInt(T0) * 1_000_000n + 1n,
      BigInt(T0) * 1_000_000n + 2n,
      BigInt(T0 + 1) * 1_000_000n,
    ]);
  });
});
