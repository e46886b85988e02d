import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeTwo7BitBytes,
  FIRMATA,
  type FirmataFrame,
  FirmataFrameReader,
  type FirmataSender,
  MAX_SYSEX_BYTES,
  parseI2cReply,
  SYSEX,
} from '../../firmware-bridge/drivers/firmata/firmata-frames.js';
import { analogReadout, chipReadout, type Readout } from '../../firmware-bridge/drivers/firmata/readouts.js';
import { chunked, cuts, expectCode, mutatedBytes, RUNS } from './fuzz-inputs.js';

const data7 = fc.integer({ min: 0, max: 0x7f });

/** Whole messages a board or host sends: analog and digital reports, version, pin mode, sysex (I2C replies). */
const message = fc.oneof(
  fc.tuple(fc.nat(15), data7, data7).map(([pin, lsb, msb]) => [FIRMATA.ANALOG_MESSAGE | pin, lsb, msb]),
  fc.tuple(fc.nat(15), data7, data7).map(([port, lsb, msb]) => [FIRMATA.DIGITAL_MESSAGE | port, lsb, msb]),
  fc.tuple(fc.nat(15), data7).map(([pin, on]) => [FIRMATA.REPORT_ANALOG | pin, on]),
  fc.constant([FIRMATA.REPORT_VERSION, 2, 5]),
  fc.tuple(data7, data7).map(([pin, mode]) => [FIRMATA.SET_PIN_MODE, pin, mode]),
  fc
    .tuple(
      fc.integer({ min: 0x08, max: 0x77 }),
      fc.integer({ min: 0, max: 0xff }),
      fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 24 }),
    )
    .map(([address, register, bytes]) => [
      FIRMATA.START_SYSEX,
      SYSEX.I2C_REPLY,
      ...encodeTwo7BitBytes([address, register]),
      ...encodeTwo7BitBytes(bytes),
      FIRMATA.END_SYSEX,
    ]),
  fc
    .array(data7, { maxLength: 40 })
    .map((text) => [FIRMATA.START_SYSEX, SYSEX.STRING_DATA, ...text, FIRMATA.END_SYSEX]),
);

/** A stream of messages with bytes flipped, dropped or inserted, or a run of noise. */
const stream = fc.oneof(
  mutatedBytes(
    fc.array(message, { maxLength: 12 }).map((messages) => Uint8Array.from(messages.flat())),
    6,
  ),
  fc.uint8Array({ maxLength: 300 }),
  fc
    .nat(MAX_SYSEX_BYTES + 40)
    .map((length) => Uint8Array.from([FIRMATA.START_SYSEX, ...new Array(length).fill(0x01)])),
);

/** Bytes the frame took on the wire: command (and sysex command and END_SYSEX) plus its data. */
function wireLength(frame: FirmataFrame): number {
  return frame.kind === 'sysex' ? frame.data.length + 3 : frame.data.length + 1;
}

describe('Firmata frame reader, fuzzed', () => {
  it('accounts for every byte of any stream as a frame of 7-bit data, junk, or the message still open', () => {
    fc.assert(
      fc.property(stream, fc.constantFrom<FirmataSender>('board', 'host'), cuts, (bytes, sender, at) => {
        const reader = new FirmataFrameReader(sender);
        const batches = chunked(Buffer.from(bytes), at).map((chunk) => reader.push(chunk));
        const frames = batches.flatMap((batch) => batch.frames);
        const junk = batches.reduce((sum, batch) => sum + batch.junkBytes, 0);
        for (const frame of frames) {
          for (const byte of frame.data) expect(byte).toBe(byte & 0x7f);
          parseI2cReply(frame);
        }
        const framed = frames.reduce((sum, frame) => sum + wireLength(frame), 0);
        const open = bytes.length - framed - junk;
        expect(open).toBeGreaterThanOrEqual(0);
        expect(open).toBeLessThanOrEqual(MAX_SYSEX_BYTES);
      }),
      { numRuns: RUNS },
    );
  });

  it('reads the same frames however the stream is chunked', () => {
    fc.assert(
      fc.property(stream, cuts, (bytes, at) => {
        const whole = new FirmataFrameReader('board').push(bytes);
        const reader = new FirmataFrameReader('board');
        const pieces = chunked(Buffer.from(bytes), at).map((chunk) => reader.push(chunk));
        expect(pieces.flatMap((batch) => batch.frames)).toEqual(whole.frames);
        expect(pieces.reduce((sum, batch) => sum + batch.junkBytes, 0)).toBe(whole.junkBytes);
      }),
      { numRuns: RUNS },
    );
  });
});

function expectReadout(readout: Readout): void {
  if (readout.kind === 'sample') expect(Number.isFinite(readout.value)).toBe(true);
  if (readout.kind === 'fault') expectCode(readout.code, 'FIRMATA_');
}

describe('Firmata readouts, fuzzed', () => {
  const anyNumber = fc.oneof(
    fc.integer({ min: -10, max: 70_000 }),
    fc.double(),
    fc.constantFrom(Number.NaN, Infinity),
  );

  it('make a finite sample, nothing yet, or a coded fault of any analog report', () => {
    // firmata-io takes the ADC's full scale from the board's capability report: (1 << bits) - 1.
    const resolution = fc.oneof(
      fc.constantFrom(1023, 4095),
      fc.nat(127).map((bits) => (1 << bits) - 1),
    );
    const state = resolution.chain((full) =>
      fc.record({
        pin: fc.constantFrom('A0', 'A5', 'A15'),
        value: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: Math.max(full, 0) }), anyNumber),
        resolution: fc.constant(full),
        sinceMs: fc.nat(10_000),
        lastAtMs: fc.option(fc.nat(10_000), { nil: undefined }),
      }),
    );
    const aref = fc.option(fc.double({ min: Number.MIN_VALUE, max: 50, noNaN: true }), { nil: undefined });
    fc.assert(
      fc.property(state, aref, fc.nat(20_000), (pin, volts, now) => {
        const sensor = volts === undefined ? { id: 's' } : { id: 's', aref: volts };
        expectReadout(analogReadout(pin, sensor, now, 10_000));
      }),
      { numRuns: RUNS },
    );
  });

  it('make a finite sample, nothing yet, or a coded fault of any BME280 reading', () => {
    const state = fc.record({
      label: fc.constant('BME280 at 0x76'),
      reading: fc.option(
        fc.record({ celsius: anyNumber, relativeHumidity: anyNumber, pressureKpa: anyNumber }),
        { nil: undefined },
      ),
      sinceMs: fc.nat(10_000),
      lastAtMs: fc.option(fc.nat(10_000), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        state,
        fc.constantFrom('temperature', 'humidity', 'pressure' as const),
        fc.nat(20_000),
        (chip, field, now) => {
          expectReadout(chipReadout(chip, field, now, 5000));
        },
      ),
      { numRuns: RUNS },
    );
  });
});
