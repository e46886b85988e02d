import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../ingest/pipeline/decode-message.js';
import { MAX_PAYLOAD_BYTES } from '../../../protocol/index.js';

const TOPIC = 'fs/v1/jinfo/cave-gw-1/readings';
const bytes = (value: unknown): Uint8Array =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const reading = { sensor: 'cave-co2-1', quantity: 'co2', unit: '[ppm]', value: 812.4, time: 1764194400000 };

describe('decodeMessage', () => {
  it('decodes a good batch with station and gateway from the topic', () => {
    const decoded = decodeMessage(TOPIC, bytes({ v: 1, seq: 42, readings: [{ ...reading, qc: 1 }] }));
    expect(decoded).toEqual({
      ok: true,
      kind: 'readings',
      address: { station: 'jinfo', gateway: 'cave-gw-1' },
      body: { v: 1, seq: 42, readings: [{ ...reading, qc: 1 }] },
    });
  });

  it('parses RFC 3339 times to epoch ms and defaults qc to 2', () => {
    const decoded = decodeMessage(
      TOPIC,
      bytes({ v: 1, seq: 1, readings: [{ ...reading, time: '2025-11-26T22:00:00Z' }] }),
    );
    expect(decoded.ok && decoded.kind === 'readings' && decoded.body.readings[0]).toMatchObject({
      time: 1764194400000,
      qc: 2,
    });
  });

  it('refuses bad JSON with the parser message', () => {
    const decoded = decodeMessage(TOPIC, bytes('{"v": 1, "seq": '));
    expect(decoded).toMatchObject({ ok: false, code: 'PAYLOAD_NOT_JSON', address: { station: 'jinfo' } });
    expect(!decoded.ok && decoded.reason).toMatch(/^payload is not JSON: /);
  });

  it('names the field path of a schema error', () => {
    const decoded = decodeMessage(TOPIC, bytes({ v: 1, seq: 3, readings: [{ ...reading, value: 'high' }] }));
    expect(decoded).toMatchObject({ ok: false, code: 'PAYLOAD_INVALID' });
    expect(!decoded.ok && decoded.reason).toContain('readings.0.value');
  });

  it('refuses an unsupported version', () => {
    const decoded = decodeMessage(TOPIC, bytes({ v: 2, seq: 3, readings: [reading] }));
    expect(decoded).toMatchObject({ ok: false, code: 'VERSION_UNSUPPORTED' });
    expect(!decoded.ok && decoded.reason).toContain('version 2');
  });

  it('refuses an oversized payload before parsing it', () => {
    const decoded = decodeMessage(TOPIC, new Uint8Array(MAX_PAYLOAD_BYTES + 1));
    expect(decoded).toMatchObject({ ok: false, code: 'PAYLOAD_TOO_LARGE' });
    expect(!decoded.ok && decoded.reason).toContain(String(MAX_PAYLOAD_BYTES + 1));
  });

  it('refuses a topic that is not a gateway topic, without an address', () => {
    const decoded = decodeMessage('fs/v1/Jinfo/gw/readings', bytes({ v: 1, seq: 1, readings: [reading] }));
    expect(decoded).toMatchObject({ ok: false, code: 'TOPIC_INVALID' });
    expect(decoded).not.toHaveProperty('address');
    expect(decodeMessage('fs/v1/jinfo/gw/events', bytes({}))).toMatchObject({ code: 'TOPIC_INVALID' });
    expect(decodeMessage('fs/v1/alerts/jinfo/co2-high', bytes({}))).toMatchObject({ code: 'TOPIC_INVALID' });
  });

  it('decodes a health message against the health schema', () => {
    const health = {
      v: 1,
      time: '2025-11-26T22:00:00Z',
      uptimeS: 12.5,
      outbox: { pendingMessages: 1, diskBytes: 2, droppedMessages: 3, droppedReadings: 4 },
      published: { messages: 5, readings: 6 },
      sensors: [{ sensor: 'cave-co2-1', samples: 7, errors: 0 }],
    };
    expect(decodeMessage('fs/v1/jinfo/cave-gw-1/health', bytes(health))).toEqual({
      ok: true,
      kind: 'health',
      address: { station: 'jinfo', gateway: 'cave-gw-1' },
      body: { ...health, time: 1764194400000 },
    });
  });

  it('decodes a status message against the status schema', () => {
    expect(decodeMessage('fs/v1/jinfo/cave-gw-1/status', bytes({ v: 1, state: 'offline' }))).toEqual({
      ok: true,
      kind: 'status',
      address: { station: 'jinfo', gateway: 'cave-gw-1' },
      body: { v: 1, state: 'offline' },
    });
  });

  it.each([
    ['health', bytes('{"v": 1, "time":'), 'PAYLOAD_NOT_JSON', /^payload is not JSON: /],
    ['health', bytes({ v: 1, time: 1764194400000, uptimeS: -1 }), 'PAYLOAD_INVALID', /uptimeS: /],
    ['health', bytes({ v: 2 }), 'VERSION_UNSUPPORTED', /version 2/],
    ['health', new Uint8Array(MAX_PAYLOAD_BYTES + 1), 'PAYLOAD_TOO_LARGE', /bytes; the limit is/],
    ['status', bytes('online'), 'PAYLOAD_NOT_JSON', /^payload is not JSON: /],
    ['status', bytes({ v: 1, state: 'asleep' }), 'PAYLOAD_INVALID', /^state: /],
    ['status', bytes({ v: '1', state: 'online' }), 'VERSION_UNSUPPORTED', /version "1"/],
    ['status', new Uint8Array(MAX_PAYLOAD_BYTES + 1), 'PAYLOAD_TOO_LARGE', /bytes; the limit is/],
  ])('refuses a bad %s message with the same codes as readings (%s)', (kind, payload, code, reason) => {
    const decoded = decodeMessage(`fs/v1/jinfo/cave-gw-1/${kind}`, payload);
    expect(decoded).toMatchObject({ ok: false, code, address: { station: 'jinfo', gateway: 'cave-gw-1' } });
    expect(!decoded.ok && decoded.reason).toMatch(reason);
  });
});
