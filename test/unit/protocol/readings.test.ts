import { describe, expect, it } from 'vitest';
import { decodePayload, MAX_PAYLOAD_BYTES, ReadingsBatchSchema } from '../../../protocol/index.js';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value));

const reading = {
  sensor: 'cave-co2-1',
  quantity: 'co2',
  unit: '[ppm]',
  value: 812.4,
  time: 1764194400000,
  qc: 1,
};

describe('readings batch decoding', () => {
  it('accepts the example of the design brief', () => {
    const decoded = decodePayload(ReadingsBatchSchema, encode({ v: 1, seq: 42, readings: [reading] }));
    expect(decoded).toEqual({ ok: true, value: { v: 1, seq: 42, readings: [reading] } });
  });

  it('parses RFC 3339 times with a zone to epoch milliseconds and defaults qc to 2', () => {
    const decoded = decodePayload(
      ReadingsBatchSchema,
      encode({ v: 1, seq: 0, readings: [{ ...reading, time: '2025-11-26T22:00:00+08:00', qc: undefined }] }),
    );
    expect(decoded.ok && decoded.value.readings[0]).toMatchObject({
      time: Date.UTC(2025, 10, 26, 14),
      qc: 2,
    });
  });

  it('refuses a time without a zone, naming the field', () => {
    const decoded = decodePayload(
      ReadingsBatchSchema,
      encode({ v: 1, seq: 0, readings: [{ ...reading, time: '2025-11-26T22:00:00' }] }),
    );
    expect(decoded).toMatchObject({ ok: false, code: 'PAYLOAD_INVALID' });
    expect(!decoded.ok && decoded.reason).toContain('readings.0.time');
  });

  it('refuses a clock that was never set', () => {
    const decoded = decodePayload(
      ReadingsBatchSchema,
      encode({ v: 1, seq: 0, readings: [{ ...reading, time: 0 }] }),
    );
    expect(!decoded.ok && decoded.reason).toMatch(/readings\.0\.time.*clock/);
  });

  it.each([
    ['sensor', 'Cave CO2'],
    ['sensor', 'a/b'],
    ['sensor', '+'],
    ['quantity', 'co2,x=1'],
    ['unit', 'ppm"'],
    ['unit', 'a b'],
    ['unit', "deg'"],
    ['unit', 'a\\b'],
    ['unit', 'a=b'],
    ['qc', 5],
    ['value', '812'],
  ])('refuses a reading whose %s is %j', (field, bad) => {
    const decoded = decodePayload(
      ReadingsBatchSchema,
      encode({ v: 1, seq: 0, readings: [{ ...reading, [field]: bad }] }),
    );
    expect(decoded).toMatchObject({ ok: false, code: 'PAYLOAD_INVALID' });
    expect(!decoded.ok && decoded.reason).toContain(`readings.0.${field}`);
  });

  it('refuses an empty batch and a negative sequence number', () => {
    expect(decodePayload(ReadingsBatchSchema, encode({ v: 1, seq: 0, readings: [] })).ok).toBe(false);
    expect(decodePayload(ReadingsBatchSchema, encode({ v: 1, seq: -1, readings: [reading] })).ok).toBe(false);
  });

  it('names unsupported versions and non-JSON payloads with their own codes', () => {
    expect(decodePayload(ReadingsBatchSchema, encode({ v: 2, seq: 0, readings: [reading] }))).toMatchObject({
      ok: false,
      code: 'VERSION_UNSUPPORTED',
    });
    expect(decodePayload(ReadingsBatchSchema, Buffer.from('{"v":1,'))).toMatchObject({
      ok: false,
      code: 'PAYLOAD_NOT_JSON',
    });
  });

  it('refuses an oversized payload before parsing it', () => {
    const decoded = decodePayload(ReadingsBatchSchema, Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20));
    expect(decoded).toMatchObject({ ok: false, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('ignores fields it does not know, so the contract can grow', () => {
    const decoded = decodePayload(
      ReadingsBatchSchema,
      encode({ v: 1, seq: 1, extra: true, readings: [{ ...reading, depth: 3 }] }),
    );
    expect(decoded.ok && decoded.value.readings[0]).toEqual(reading);
  });
});
