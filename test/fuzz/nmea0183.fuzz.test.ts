import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type NmeaDriverConfig,
  NmeaDriverConfigSchema,
  NmeaPortProtocolSchema,
} from '../../firmware-bridge/drivers/nmea0183/config.js';
import { GGA_FIELDS } from '../../firmware-bridge/drivers/nmea0183/decoders/gga.js';
import { DECODERS } from '../../firmware-bridge/drivers/nmea0183/decoders/index.js';
import { MDA_FIELDS } from '../../firmware-bridge/drivers/nmea0183/decoders/mda.js';
import { MWV_FIELDS, MWV_REFERENCES } from '../../firmware-bridge/drivers/nmea0183/decoders/mwv.js';
import { RMC_FIELDS } from '../../firmware-bridge/drivers/nmea0183/decoders/rmc.js';
import type { FieldValue } from '../../firmware-bridge/drivers/nmea0183/field-value.js';
import { NmeaSentenceReader } from '../../firmware-bridge/drivers/nmea0183/sentence-reader.js';
import { fieldKey, mwvKey } from '../../firmware-bridge/drivers/nmea0183/value-keys.js';
import { checkNmeaChecksum, formatChecksum } from '../../firmware-bridge/drivers/serial/nmea-checksum.js';
import { expectCode, mutated, oddText, overlongNumberText, RUNS, shortNumberText } from './fuzz-inputs.js';

const two = (n: number) => String(n).padStart(2, '0');

/** `hhmmss[.ss]` with hours, minutes and seconds a little past their ranges. */
const timeOfDay = fc
  .tuple(fc.nat(30), fc.nat(70), fc.nat(70), fc.option(fc.nat(999)))
  .map(([h, m, s, frac]) => `${two(h)}${two(m)}${two(s)}${frac === null ? '' : `.${frac}`}`);

const ddmmyy = fc.tuple(fc.nat(40), fc.nat(15), fc.nat(99)).map(([d, m, y]) => `${two(d)}${two(m)}${two(y)}`);

/** `ddmm.mmmm` (2 degree digits) or `dddmm.mmmm` (3), sometimes out of range. */
const position = (degreeDigits: 2 | 3) =>
  fc
    .tuple(fc.nat(degreeDigits === 2 ? 99 : 999), fc.nat(99), fc.nat(9999))
    .map(([deg, min, frac]) => `${String(deg).padStart(degreeDigits, '0')}${two(min)}.${frac}`);

const letter = (...letters: string[]) => fc.oneof(fc.constantFrom(...letters, ''), oddText(2));
const field = fc.oneof(
  { arbitrary: shortNumberText, weight: 20 },
  { arbitrary: overlongNumberText, weight: 1 },
  { arbitrary: oddText(6), weight: 2 },
);

/** The fields after the address of each sentence the driver decodes, valid-looking. */
const SENTENCE_FIELDS: Record<string, fc.Arbitrary<string[]>> = {
  MWV: fc.tuple(field, letter('R', 'T'), field, letter('K', 'M', 'N', 'S'), letter('A', 'V')),
  MDA: fc.tuple(
    ...[field, letter('I'), field, letter('B'), field, letter('C'), field, letter('C'), field, field],
    ...[field, letter('C'), field, letter('T'), field, letter('M'), field, letter('N'), field, letter('M')],
  ),
  XDR: fc
    .array(
      fc.tuple(
        letter('C', 'P', 'H', 'U'),
        field,
        letter('C', 'B', 'P', 'H'),
        fc.constantFrom('TAIR', 'BARO', 'RH', 'X'),
      ),
      {
        minLength: 1,
        maxLength: 6,
      },
    )
    .map((quads) => quads.flat()),
  GGA: fc.tuple(
    timeOfDay,
    position(2),
    letter('N', 'S'),
    position(3),
    letter('E', 'W'),
    fc.oneof(fc.nat(8).map(String), field),
    field,
    field,
    field,
    letter('M'),
    field,
    letter('M'),
    field,
    field,
  ),
  RMC: fc.tuple(
    timeOfDay,
    letter('A', 'V'),
    position(2),
    letter('N', 'S'),
    position(3),
    letter('E', 'W'),
    field,
    field,
    ddmmyy,
    field,
    letter('E', 'W'),
    letter('A', 'D', 'N'),
  ),
  ZDA: fc.tuple(
    timeOfDay,
    fc.nat(40).map(two),
    fc.nat(15).map(two),
    fc.oneof(fc.integer({ min: 1970, max: 2100 }).map(String), fc.nat(99999).map(String)),
    field,
    field,
  ),
};

const talker = fc.oneof({ arbitrary: fc.constantFrom('WI', 'GP', 'GN', 'II', 'YX'), weight: 9 }, oddText(2));

/** A sentence body (between `$` and `*`): address and fields, as a talker would send it. */
const sentenceBody = fc
  .tuple(talker, fc.constantFrom(...Object.keys(SENTENCE_FIELDS)))
  .chain(([id, formatter]) =>
    (SENTENCE_FIELDS[formatter] as fc.Arbitrary<string[]>).map((fields) =>
      [`${id}${formatter}`, ...fields].join(','),
    ),
  );

const sealed = (body: string) => `$${body}*${formatChecksum(body)}`;

/**
 * Lines as they come off the port: sentences whole, with faults inside a correct checksum (so they
 * reach the decoders), with faults anywhere (framing, checksum), with noise before them, or noise alone.
 */
const line = fc.oneof(
  sentenceBody.map(sealed),
  mutated(sentenceBody).map(sealed),
  mutated(sentenceBody.map(sealed)),
  fc.tuple(oddText(6), sentenceBody.map(sealed)).map(([noise, sentence]) => noise + sentence),
  sentenceBody.map((body) => `$${body}`),
  oddText(120),
);

/** One sensor for every kind of selection the driver offers, some pinned to a talker. */
const SELECTIONS: NmeaDriverConfig[] = [
  { sentence: 'MWV', field: 'windSpeed', reference: 'relative' },
  { sentence: 'MWV', field: 'windAngle', reference: 'true', talker: 'WI' },
  { sentence: 'MDA', field: 'pressure' },
  { sentence: 'MDA', field: 'windSpeed' },
  { sentence: 'MDA', field: 'relativeHumidity' },
  { sentence: 'XDR', transducer: 'C', name: 'TAIR', unit: 'C' },
  { sentence: 'XDR', transducer: 'P', name: 'BARO' },
  { sentence: 'GGA', field: 'latitude' },
  { sentence: 'GGA', field: 'altitude' },
  { sentence: 'GGA', field: 'satellites', talker: 'GP' },
  { sentence: 'RMC', field: 'longitude' },
  { sentence: 'RMC', field: 'speedOverGround' },
].map((selection) => NmeaDriverConfigSchema.parse({ type: 'nmea0183', port: 'gps', ...selection }));
const SENSORS = SELECTIONS.map((driver, index) => ({ id: `s${index}`, driver }));
const SENSOR_IDS = SENSORS.map(({ id }) => id);

const DAY_MS = 86_400_000;

/** The keys a sensor can select from each sentence with fixed fields (XDR names its own). */
const SELECTABLE: Record<string, ReadonlySet<string>> = {
  MWV: new Set(MWV_REFERENCES.flatMap((reference) => MWV_FIELDS.map((field) => mwvKey(reference, field)))),
  MDA: new Set(MDA_FIELDS.map((field) => fieldKey('MDA', field))),
  GGA: new Set(GGA_FIELDS.map((field) => fieldKey('GGA', field))),
  RMC: new Set(RMC_FIELDS.map((field) => fieldKey('RMC', field))),
  ZDA: new Set(),
};

function expectFieldValue(value: FieldValue): void {
  if (value.kind === 'value') expect(Number.isFinite(value.value)).toBe(true);
  if (value.kind === 'invalid') expectCode(value.code, 'NMEA_');
}

describe('NMEA 0183 sentence decoders, fuzzed', () => {
  /** The sentence's fields whole, with some replaced, cut short or extended, or any fields at all. */
  const fieldsOf = (formatter: string) => {
    const valid = SENTENCE_FIELDS[formatter] as fc.Arbitrary<string[]>;
    const replaced = fc
      .tuple(valid, fc.array(fc.tuple(fc.nat(), field), { maxLength: 4 }), fc.nat(24))
      .map(([fields, swaps, length]) => {
        const out = [...fields];
        for (const [index, text] of swaps) out[index % (out.length + 1)] = text;
        return out.slice(0, length);
      });
    return fc.oneof(valid, replaced, fc.array(oddText(12), { maxLength: 24 }));
  };

  for (const [formatter, decode] of Object.entries(DECODERS)) {
    it(`${formatter}: any fields give finite values, coded invalid fields, or a coded fault`, () => {
      fc.assert(
        fc.property(fieldsOf(formatter), (fields) => {
          const decoded = decode([`GP${formatter}`, ...fields]);
          if ('code' in decoded) {
            expectCode(decoded.code, 'NMEA_');
            return;
          }
          for (const [key, value] of decoded.values) {
            if (formatter !== 'XDR') expect(SELECTABLE[formatter]).toContain(key);
            expectFieldValue(value);
          }
          const time = decoded.time;
          if (time?.kind === 'datetime') expect(Number.isFinite(time.timeMs)).toBe(true);
          if (time?.kind === 'time-of-day') {
            expect(time.msOfDay).toBeGreaterThanOrEqual(0);
            expect(time.msOfDay).toBeLessThan(DAY_MS + 1000);
          }
        }),
        { numRuns: RUNS },
      );
    });
  }
});

describe('NMEA 0183 checksum, fuzzed', () => {
  it('never throws, and a line that passes has its body back', () => {
    fc.assert(
      fc.property(fc.oneof(line, oddText(100)), fc.boolean(), (text, required) => {
        const checked = checkNmeaChecksum(text, required);
        expect(typeof checked.body).toBe('string');
        if (!checked.ok) expect(checked.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('passes every sealed sentence and catches any one ASCII character changed in its body', () => {
    const ascii = fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }).filter((c) => c < '\x80');
    fc.assert(
      fc.property(sentenceBody, fc.nat(), ascii, (body, index, replacement) => {
        expect(checkNmeaChecksum(sealed(body), true)).toEqual({ ok: true, body });
        const at = index % body.length;
        if (body.charCodeAt(at) >= 0x80 || body[at] === replacement) return;
        const changed = body.slice(0, at) + replacement + body.slice(at + 1);
        expect(checkNmeaChecksum(`$${changed}*${formatChecksum(body)}`, true).ok).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('NMEA 0183 sentence reader, fuzzed', () => {
  const protocol = fc
    .record({
      checksum: fc.constantFrom('required', 'optional'),
      maxSentenceLength: fc.integer({ min: 82, max: 1000 }),
    })
    .map((options) => NmeaPortProtocolSchema.parse({ type: 'nmea0183', ...options }));
  const receivedAt = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) });

  it('turns any lines into finite samples of its sensors, coded errors and finite GPS times', () => {
    fc.assert(
      fc.property(
        protocol,
        fc.array(fc.tuple(line, receivedAt), { minLength: 1, maxLength: 6 }),
        (port, lines) => {
          const reader = new NmeaSentenceReader(port, SENSORS);
          for (const [text, atMs] of lines) {
            for (const outcome of reader.read(text, atMs)) {
              if (outcome.kind === 'sample') {
                expect(SENSOR_IDS).toContain(outcome.sensor);
                expect(Number.isFinite(outcome.value)).toBe(true);
              } else if (outcome.kind === 'error') {
                expectCode(outcome.code, 'NMEA_');
                expect(outcome.sensors.length).toBeGreaterThan(0);
                for (const sensor of outcome.sensors) expect(SENSOR_IDS).toContain(sensor);
              } else {
                expect(Number.isFinite(outcome.timeMs)).toBe(true);
              }
            }
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
