import fc from 'fast-check';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { applyLiveMessage } from '../../api/live/live-messages.js';
import { LiveStore } from '../../api/live/live-store.js';
import { decodeMessage } from '../../ingest/pipeline/decode-message.js';
import { AlertEventSchema, decodePayload, MAX_PAYLOAD_BYTES } from '../../protocol/index.js';
import { mutated, oddText, RUNS, replaceAt } from './fuzz-inputs.js';

const logger = pino({ level: 'silent' });
const DECODE_CODES = [
  'PAYLOAD_TOO_LARGE',
  'PAYLOAD_TOO_DEEP',
  'PAYLOAD_NOT_JSON',
  'VERSION_UNSUPPORTED',
  'PAYLOAD_INVALID',
];
const T = 1_764_194_400_000;

/** One valid message of each kind, as the gateway and the ingest publish them. */
const MESSAGES = {
  readings: {
    v: 1,
    seq: 42,
    readings: [
      { sensor: 'co2-1', quantity: 'co2', unit: '[ppm]', value: 812.4, time: T, qc: 1 },
      {
        sensor: 't-1',
        quantity: 'temperature',
        unit: 'Cel',
        value: -3.5,
        time: '2025-11-26T22:00:00Z',
        clock: 'unsynced',
      },
    ],
  },
  status: {
    v: 1,
    state: 'online',
    time: T,
    software: 'fieldstation 0.1.0',
    sensors: [{ sensor: 'co2-1', quantity: 'co2', unit: '[ppm]', intervalMs: 60_000 }],
  },
  health: {
    v: 1,
    time: T,
    uptimeS: 3600,
    outbox: { pendingMessages: 0, diskBytes: 4096, droppedMessages: 0, droppedReadings: 0 },
    published: { messages: 10, readings: 500 },
    sensors: [{ sensor: 'co2-1', samples: 60, errors: 1, lastError: 'LINE_CHECKSUM' }],
    clock: { state: 'synced', source: 'ntp', offsetMs: 12 },
  },
  meta: {
    v: 1,
    time: T,
    station: { position: { latitude: 29.0188, longitude: 107.1939, elevation: 1742 } },
    gateway: { make: 'Raspberry Pi Ltd', serial: '10000000a3f2c1d4', installed: '2024-05-21' },
    sensors: [
      {
        sensor: 'co2-1',
        model: 'GMP252',
        calibration: { date: '2025-11-03', coefficients: { scale: 1250, offset: -12.5 }, by: 'Wang Jun' },
      },
      { sensor: 't-1' },
    ],
  },
  alert: {
    v: 1,
    station: 'jinfo',
    rule: 'co2-high',
    state: 'firing',
    severity: 'warning',
    message: 'CO2 above 5000 ppm',
    gateway: 'cave-gw-1',
    sensor: 'co2-1',
    quantity: 'co2',
    unit: '[ppm]',
    value: 5200,
    op: 'above',
    threshold: 5000,
    time: T,
    since: T,
  },
} as const;

const TOPICS = {
  readings: 'fs/v1/jinfo/cave-gw-1/readings',
  status: 'fs/v1/jinfo/cave-gw-1/status',
  health: 'fs/v1/jinfo/cave-gw-1/health',
  meta: 'fs/v1/jinfo/cave-gw-1/meta',
  alert: 'fs/v1/alerts/jinfo/co2-high',
};
type Kind = keyof typeof MESSAGES;

/** `[[[...1...]]]` or `{"a":{"a":...1...}}`, built as text: JSON.stringify itself would overflow the stack. */
function nested(depth: number, arrays: boolean): string {
  return arrays
    ? `${'['.repeat(depth)}1${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** A valid message of `kind` as text with one field, somewhere down, replaced by any JSON value, odd text or a huge string. */
function changedMessage(kind: Kind): fc.Arbitrary<string> {
  const replacement = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    oddText(40),
    fc.constantFrom(null, -1, 0, 1.5, 1e308, -0, '', [], {}, Number.MAX_SAFE_INTEGER + 2),
    fc.integer({ min: 1000, max: 600_000 }).map((length) => 'x'.repeat(length)),
  );
  return fc
    .tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), replacement)
    .map(([path, value]) => JSON.stringify(replaceAt(MESSAGES[kind], path, value)));
}

/** A valid message of `kind` with a deeply nested value spliced into field `v`, another field, or an added one. */
function deeplyNested(kind: Kind, depth: fc.Arbitrary<number>): fc.Arbitrary<string> {
  return fc
    .tuple(depth, fc.boolean(), fc.constantFrom('v', 'seq', 'readings', 'time', 'sensors', 'extra'))
    .map(([levels, arrays, field]) => {
      const rest = Object.entries(MESSAGES[kind]).filter(([name]) => name !== field);
      const others = JSON.stringify(Object.fromEntries(rest)).slice(1, -1);
      return `{"${field}":${nested(levels, arrays)}${others === '' ? '' : `,${others}`}}`;
    });
}

/** Payloads of `kind`: valid, with a field changed, with characters changed, as any bytes, or as other JSON. */
function payload(kind: Kind): fc.Arbitrary<Uint8Array> {
  const text = fc.oneof(
    fc.constant(JSON.stringify(MESSAGES[kind])),
    changedMessage(kind),
    mutated(fc.constant(JSON.stringify(MESSAGES[kind])), 4),
    deeplyNested(kind, fc.integer({ min: 1, max: 200 })),
    fc.jsonValue().map((value) => JSON.stringify(value) ?? 'null'),
    oddText(200),
  );
  return fc.oneof(
    { arbitrary: text.map((t) => Buffer.from(t, 'utf8')), weight: 6 },
    fc.uint8Array({ maxLength: 300 }),
    fc.constant(new Uint8Array(MAX_PAYLOAD_BYTES + 1)),
  );
}

function expectDecoded(decoded: { ok: true } | { ok: false; code: string; reason: string }): void {
  if (decoded.ok) return;
  expect([...DECODE_CODES, 'TOPIC_INVALID']).toContain(decoded.code);
  expect(decoded.reason.length).toBeGreaterThan(0);
}

const topic = (kind: Kind) =>
  fc.oneof({ arbitrary: fc.constant(TOPICS[kind]), weight: 6 }, mutated(fc.constant(TOPICS[kind])));

describe('MQTT payloads into the ingest, fuzzed', () => {
  for (const kind of ['readings', 'status', 'health', 'meta'] as const) {
    it(`decodes any ${kind} message to its body or a coded refusal`, () => {
      fc.assert(
        fc.property(topic(kind), payload(kind), (to, bytes) => {
          const decoded = decodeMessage(to, bytes);
          expectDecoded(decoded);
          if (decoded.ok) expect(decoded.kind).toBe(kind);
        }),
        { numRuns: RUNS },
      );
    });
  }
});

describe('MQTT payloads into the API live state, fuzzed', () => {
  it('decodes any alert to an event or a coded refusal', () => {
    fc.assert(
      fc.property(payload('alert'), (bytes) => {
        expectDecoded(decodePayload(AlertEventSchema, bytes));
      }),
      { numRuns: RUNS },
    );
  });

  it('applies or ignores any status, health or alert message without throwing', () => {
    const message = fc
      .constantFrom<Kind>('status', 'health', 'alert')
      .chain((kind) => fc.tuple(topic(kind), payload(kind)));
    fc.assert(
      fc.property(message, ([to, bytes]) => {
        const store = new LiveStore(() => T);
        applyLiveMessage(store, to, Buffer.from(bytes), logger);
        expect(store.gateways().length).toBeLessThanOrEqual(1);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('deeply nested MQTT payloads, fuzzed', () => {
  const deep = fc.integer({ min: 5_000, max: 20_000 });

  // JSON.parse takes such nesting, but JSON.stringify and any recursive walk overflow the stack on
  // it: a decoder must not quote or walk a refused value whole (e.g. the `v` it names in its reason).
  it('refuse a message nested 20,000 levels deep with a code instead of overflowing the stack', () => {
    const message = fc
      .constantFrom<Kind>('readings', 'status', 'health', 'meta', 'alert')
      .chain((kind) => fc.tuple(fc.constant(kind), deeplyNested(kind, deep)));
    fc.assert(
      fc.property(message, ([kind, text]) => {
        const bytes = Buffer.from(text);
        if (kind === 'alert') expectDecoded(decodePayload(AlertEventSchema, bytes));
        else expectDecoded(decodeMessage(TOPICS[kind], bytes));
        applyLiveMessage(new LiveStore(() => T), TOPICS[kind], bytes, logger);
      }),
      { numRuns: 40 },
    );
  });
});
