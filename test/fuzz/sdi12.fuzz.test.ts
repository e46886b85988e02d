import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Sdi12Command } from '../../firmware-bridge/drivers/sdi12/config.js';
import { stripCrc, withCrc } from '../../firmware-bridge/drivers/sdi12/crc.js';
import { type CycleStep, MeasurementCycle } from '../../firmware-bridge/drivers/sdi12/measurement-cycle.js';
import {
  type Parsed,
  parseAcknowledge,
  parseAddressQuery,
  parseDataReply,
  parseIdentification,
  parseMeasurementStart,
} from '../../firmware-bridge/drivers/sdi12/replies.js';
import { decimalText, expectCode, mutated, oddText, overlongNumberText, RUNS } from './fuzz-inputs.js';

const REPLY_CODES = ['SDI12_REPLY_INVALID', 'SDI12_WRONG_ADDRESS', 'SDI12_CRC'];

const addressArb = fc.constantFrom(...'0129azAZ');
const commandArb = fc.constantFrom<Sdi12Command>('M', 'MC', 'C', 'CC');

/** One value as a sensor writes it (`+1.23`, `-0.5`), or one past what a double holds. */
const valueText = fc.oneof(
  { arbitrary: decimalText.map((text) => (text.startsWith('-') ? text : `+${text}`)), weight: 9 },
  { arbitrary: overlongNumberText.map((digits) => `+${digits.replace(/^[+-]/, '')}`), weight: 1 },
);

const startReply = (address: string, concurrent: fc.Arbitrary<boolean>) =>
  fc
    .tuple(fc.nat(999), fc.nat(99), concurrent)
    .map(
      ([seconds, count, nn]) =>
        `${address}${String(seconds).padStart(3, '0')}${nn ? String(count).padStart(2, '0') : String(count % 10)}`,
    );

const dataReply = (address: string, crc: fc.Arbitrary<boolean>) =>
  fc
    .tuple(fc.array(valueText, { maxLength: 9 }), crc)
    .map(([values, withCheck]) =>
      withCheck ? withCrc(address + values.join('')) : address + values.join(''),
    );

/** A reply sent whole, with faults a noisy bus puts in, or replaced by noise. */
const garbled = (reply: fc.Arbitrary<string>) =>
  fc.oneof({ arbitrary: reply, weight: 4 }, { arbitrary: mutated(reply), weight: 1 }, oddText(40));

/** Any reply a sensor at some address could send: to aM!/aC!, to aDn!, to aI!, or just its address. */
const anyReply = addressArb.chain((address) =>
  garbled(
    fc.oneof(
      startReply(address, fc.boolean()),
      dataReply(address, fc.boolean()),
      fc.constant(`${address}13VENDOR  MODEL1123SN-0042`),
      fc.constant(address),
    ),
  ),
);

/** What the sensor at `address` answers in one measurement: `atttn`, then its data parts, mostly fitting the command. */
const conversation = (address: string, command: Sdi12Command) => {
  const fits = (fitting: boolean) => fc.oneof({ arbitrary: fc.constant(fitting), weight: 5 }, fc.boolean());
  return fc
    .tuple(
      garbled(startReply(address, fits(command.startsWith('C')))),
      fc.array(garbled(dataReply(address, fits(command.endsWith('C')))), { minLength: 1, maxLength: 11 }),
      fc.array(anyReply, { maxLength: 2 }),
    )
    .map(([start, data, stray]) => [start, ...data, ...stray]);
};

function expectParsed<T>(parsed: Parsed<T>): void {
  if (!parsed.ok) {
    expect(REPLY_CODES).toContain(parsed.code);
    expect(parsed.reason.length).toBeGreaterThan(0);
  }
}

describe('SDI-12 reply parsers, fuzzed', () => {
  it('give a value or a coded SDI12_ refusal for any reply', () => {
    fc.assert(
      fc.property(anyReply, addressArb, fc.boolean(), (line, address, flag) => {
        expectParsed(parseAcknowledge(line, address));
        expectParsed(parseAddressQuery(line));
        expectParsed(parseIdentification(line, address));
        expectParsed(parseMeasurementStart(line, address, flag));
        const data = parseDataReply(line, address, flag);
        expectParsed(data);
        if (data.ok) for (const value of data.value) expect(Number.isFinite(value)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('SDI-12 CRC, fuzzed', () => {
  // The adapter's lines are read as latin1, so every character is one byte.
  const latin1 = (maxLength: number) => fc.string({ unit: 'binary-ascii', minLength: 1, maxLength });

  it('strips the CRC it appended and refuses the reply once any one character changed', () => {
    fc.assert(
      fc.property(latin1(80), fc.nat(), latin1(1), (body, index, replacement) => {
        const sent = withCrc(body);
        expect(stripCrc(sent)).toBe(body);
        const at = index % sent.length;
        if (sent[at] === replacement) return;
        expect(stripCrc(sent.slice(0, at) + replacement + sent.slice(at + 1))).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });
});

/**
 * Drives one measurement as the driver does: each `send` step is answered with the next reply
 * (a rejected reply is sent again, as the driver retries); a `wait` ends by service request or time.
 */
function runCycle(cycle: MeasurementCycle, replies: readonly string[]): CycleStep[] {
  const steps: CycleStep[] = [cycle.start()];
  for (const reply of replies) {
    const step = steps.at(-1) as CycleStep;
    if (step.kind === 'done') break;
    if (step.kind === 'wait') {
      cycle.isServiceRequest(reply);
      steps.push(cycle.onReady());
      continue;
    }
    const next = cycle.onReply(reply);
    if (next.kind === 'rejected') expectCode(next.code, 'SDI12_');
    else steps.push(next);
  }
  return steps;
}

describe('SDI-12 measurement cycle, fuzzed', () => {
  it('fed any replies, asks only for its own data parts and ends with finite values', () => {
    const scenario = fc.tuple(addressArb, commandArb).chain(([address, command]) =>
      fc.record({
        address: fc.constant(address),
        command: fc.constant(command),
        replies: conversation(address, command),
      }),
    );
    fc.assert(
      fc.property(scenario, ({ address, command, replies }) => {
        const cycle = new MeasurementCycle(address, command);
        const steps = runCycle(
          cycle,
          replies.map((reply) => (address === '0' ? reply : reply.replace(/^0/, address))),
        );
        const sends = steps.flatMap((step) => (step.kind === 'send' ? [step.command] : []));
        expect(sends[0]).toBe(`${address}${command}!`);
        for (const [part, sent] of sends.slice(1).entries()) expect(sent).toBe(`${address}D${part}!`);
        expect(sends.length).toBeLessThanOrEqual(11);
        const done = steps.find((step) => step.kind === 'done');
        if (done !== undefined) for (const value of done.values) expect(Number.isFinite(value)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('takes a data reply of any length without overflowing the stack', () => {
    // A line the adapter assembled from minutes of noise that happens to look like values.
    const huge = fc.integer({ min: 100_000, max: 200_000 }).map((count) => `0${'+1'.repeat(count)}`);
    fc.assert(
      fc.property(huge, (reply) => {
        const cycle = new MeasurementCycle('0', 'M');
        const steps = runCycle(cycle, ['00009', reply]);
        expect(steps.at(-1)).toMatchObject({ kind: 'done', announced: 9 });
      }),
      { numRuns: 3 },
    );
  });
});
