import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BATCH_KEYS, plainReadingsBatch, READING_KEYS } from '../../../ingest/pipeline/plain-readings.js';
import {
  decodeKind,
  EARLIEST_SAMPLE_MS,
  LATEST_SAMPLE_MS,
  ReadingSchema,
  ReadingsBatchSchema,
} from '../../../protocol/index.js';

const bytes = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value));

/** Values near and across every bound the schema sets, and of the wrong types. */
const anyValue = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    1,
    2,
    3,
    4,
    5,
    9,
    812.4,
    -1,
    1.5,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 2,
    EARLIEST_SAMPLE_MS,
    EARLIEST_SAMPLE_MS - 1,
    LATEST_SAMPLE_MS,
    LATEST_SAMPLE_MS + 1,
    1764194400000,
    1764194400000.5,
    '2025-11-26T22:00:00Z',
    '2025-11-26T22:00:00',
    'unsynced',
    'synced',
    null,
    true,
    [],
    {},
  ),
  fc.double(),
  fc.integer(),
);
const anyString = fc.oneof(
  fc.constantFrom(
    'cave-co2-1',
    'co2',
    '[ppm]',
    'Cel',
    'ice-thickness',
    '-x',
    'A',
    '',
    'a b',
    '+1',
    'm/s',
    'a,b',
  ),
  fc.string({ maxLength: 6 }),
);

const goodReading = fc.record(
  {
    sensor: fc.constantFrom('cave-co2-1', 'drip-1', 'load'),
    quantity: fc.constantFrom('co2', 'ice-thickness', 'load_n'),
    unit: fc.constantFrom('[ppm]', 'Cel', 'N', 'm/s'),
    value: fc.double({ noNaN: true, noDefaultInfinity: true }),
    time: fc.integer({ min: EARLIEST_SAMPLE_MS, max: LATEST_SAMPLE_MS }),
    qc: fc.constantFrom(1, 2, 3, 4, 9),
    clock: fc.constant('unsynced'),
  },
  { requiredKeys: ['sensor', 'quantity', 'unit', 'value', 'time'] },
);

/** A good reading with some of its fields replaced, removed, or joined by others. */
const anyReading = fc.oneof(
  goodReading,
  fc
    .tuple(
      goodReading,
      fc.dictionary(
        fc.constantFrom('sensor', 'quantity', 'unit', 'value', 'time', 'qc', 'clock', 'extra', '__proto__'),
        fc.oneof(anyValue, anyString),
      ),
      fc.subarray(['sensor', 'quantity', 'unit', 'value', 'time']),
    )
    .map(([reading, changes, removed]) => {
      const changed: Record<string, unknown> = { ...reading, ...changes };
      for (const key of removed) delete changed[key];
      return changed;
    }),
  anyValue,
);

const anyBatch = fc.record(
  {
    v: fc.oneof(fc.constant(1), anyValue),
    seq: fc.oneof(fc.nat(), anyValue),
    readings: fc.oneof(fc.array(anyReading, { maxLength: 4 }), anyValue),
    extra: anyValue,
  },
  { requiredKeys: [] },
);

describe('plainReadingsBatch', () => {
  it('gives what the contract’s schema gives, or steps aside (undefined) for the schema to decide', () => {
    fc.assert(
      fc.property(anyBatch, (batch) => {
        const payload = bytes(batch);
        const plain = plainReadingsBatch(payload);
        if (plain === undefined) return;
        const decoded = decodeKind('readings', payload);
        expect(decoded.ok).toBe(true);
        if (decoded.ok) expect(plain).toEqual(decoded.value);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with the schema on a good batch with one field of one reading changed', () => {
    const field = fc.constantFrom('sensor', 'quantity', 'unit', 'value', 'time', 'qc', 'clock', 'extra');
    fc.assert(
      fc.property(goodReading, field, fc.oneof(anyValue, anyString), (reading, key, value) => {
        const payload = bytes({ v: 1, seq: 7, readings: [reading, { ...reading, [key]: value }] });
        const plain = plainReadingsBatch(payload);
        const decoded = decodeKind('readings', payload);
        if (plain !== undefined) expect(decoded.ok && decoded.value).toEqual(plain);
      }),
      { numRuns: 3000 },
    );
  });

  it('takes every batch of the common shape itself', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(goodReading, { minLength: 1, maxLength: 5 }), (seq, readings) => {
        const payload = bytes({ v: 1, seq, readings });
        const plain = plainReadingsBatch(payload);
        expect(plain).toBeDefined();
        const decoded = decodeKind('readings', payload);
        expect(decoded.ok && decoded.value).toEqual(plain);
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves times as text, unknown fields, invalid values and non-JSON to the schema', () => {
    const reading = { sensor: 'cave-co2-1', quantity: 'co2', unit: '[ppm]', value: 1, time: 1764194400000 };
    const refused = [
      { v: 1, seq: 1, readings: [{ ...reading, time: '2025-11-26T22:00:00Z' }] },
      { v: 1, seq: 1, readings: [{ ...reading, note: 'x' }] },
      { v: 1, seq: 1, readings: [{ ...reading, sensor: 'Cave' }] },
      { v: 1, seq: 1, readings: [{ ...reading, qc: 5 }] },
      { v: 2, seq: 1, readings: [reading] },
      { v: 1, seq: -1, readings: [reading] },
      { v: 1, seq: 1, readings: [] },
    ];
    for (const batch of refused) expect(plainReadingsBatch(bytes(batch))).toBeUndefined();
    expect(plainReadingsBatch(Buffer.from('{"v":1,'))).toBeUndefined();
    expect(plainReadingsBatch(bytes({ v: 1, seq: 1, readings: [reading] }))?.readings[0]?.qc).toBe(2);
  });
});

describe('the fields the fast path checks', () => {
  // A field added to the contract fails here: give it a check in plain-readings.ts, then list it.
  it('are every field of the readings batch and of a reading, no more', () => {
    expect([...BATCH_KEYS].sort()).toEqual(Object.keys(ReadingsBatchSchema.shape).sort());
    expect([...READING_KEYS].sort()).toEqual(Object.keys(ReadingSchema.shape).sort());
  });
});
