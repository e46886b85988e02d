import fc from 'fast-check';
import { expect } from 'vitest';

/**
 * Runs per property. Enough to reach the odd shapes the generators aim at; few enough that the
 * whole fuzz suite stays within seconds on a shared two-core machine. The seed is left random so
 * every run explores new inputs; fast-check prints the seed and the shrunk counterexample on failure.
 */
export const RUNS = 400;

/** One character that matters to some framing, or any character at all. */
const oddChar = fc.oneof(
  fc.constantFrom(...',*$!"= \t\r\n+-.eE09%'),
  fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
);

/** Strings that have broken parsers elsewhere: byte-order marks, bidi controls, overlong numbers. */
const NASTY = [
  '',
  '\uFEFF',
  '\u0000',
  '\u202E',
  '\u00A0',
  '\uFFFD',
  '😀',
  'ｆｕｌｌ',
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '1e999',
  '0x1F',
  '9'.repeat(400),
  `0.${'0'.repeat(400)}1`,
  '__proto__',
  'constructor',
];

/** Text from a wire or a keyboard: control bytes, any code point, composed graphemes, known troublemakers. */
export function oddText(maxLength = 64): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: 'binary-ascii', maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.string({ unit: oddChar, maxLength }),
    fc.constantFrom(...NASTY),
  );
}

type EditKind = 'replace' | 'insert' | 'delete' | 'duplicate' | 'truncate';

interface Edit {
  kind: EditKind;
  /** Where, modulo the length, so one edit fits any text. */
  at: number;
  text: string;
}

/**
 * A position anywhere in a text. Not a fraction from fc.double: that lands within a hair of 0 most
 * of the time, so edits and cuts would crowd at the start.
 */
const position = fc.nat();

const editArb: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom<EditKind>('replace', 'insert', 'delete', 'duplicate', 'truncate'),
  at: position,
  text: oddChar,
});

function applyEdit(text: string, edit: Edit): string {
  const at = edit.at % (text.length + 1);
  switch (edit.kind) {
    case 'replace':
      return text.slice(0, at) + edit.text + text.slice(at + 1);
    case 'insert':
      return text.slice(0, at) + edit.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + 1);
    case 'duplicate':
      return text.slice(0, at) + text.slice(at, at + 8) + text.slice(at);
    case 'truncate':
      return text.slice(0, at);
  }
}

/**
 * `base` with up to `maxEdits` characters replaced, inserted, deleted or duplicated, or cut short:
 * input that looks valid, with the faults a noisy line or a careless hand puts in. Zero edits
 * leave it whole, so the valid shape is fuzzed too.
 */
export function mutated(base: fc.Arbitrary<string>, maxEdits = 3): fc.Arbitrary<string> {
  return fc
    .tuple(base, fc.array(editArb, { maxLength: maxEdits }))
    .map(([text, edits]) => edits.reduce(applyEdit, text));
}

/** `base` with up to `maxEdits` bytes flipped, inserted, deleted or cut off. */
export function mutatedBytes(base: fc.Arbitrary<Uint8Array>, maxEdits = 3): fc.Arbitrary<Uint8Array> {
  const byteEdit = fc.record({
    kind: fc.constantFrom<EditKind>('replace', 'insert', 'delete', 'truncate'),
    at: position,
    byte: fc.integer({ min: 0, max: 255 }),
  });
  return fc.tuple(base, fc.array(byteEdit, { maxLength: maxEdits })).map(([bytes, edits]) =>
    edits.reduce<Uint8Array>((current, edit) => {
      const at = edit.at % (current.length + 1);
      const before = current.subarray(0, at);
      switch (edit.kind) {
        case 'replace':
          return Buffer.concat([before, Buffer.from([edit.byte]), current.subarray(at + 1)]);
        case 'insert':
          return Buffer.concat([before, Buffer.from([edit.byte]), current.subarray(at)]);
        case 'delete':
          return Buffer.concat([before, current.subarray(at + 1)]);
        default:
          return Buffer.from(before);
      }
    }, bytes),
  );
}

/**
 * A copy of `value` with the node `path` leads to replaced by `replacement`: each number picks a child
 * (modulo their count), and the walk stops where the path or the tree ends.
 */
export function replaceAt(value: unknown, path: readonly number[], replacement: unknown): unknown {
  const [step, ...rest] = path;
  if (step === undefined || typeof value !== 'object' || value === null) return replacement;
  const entries = Object.entries(value);
  const [key, child] = entries[step % Math.max(entries.length, 1)] ?? [];
  if (key === undefined) return replacement;
  const changed = replaceAt(child, rest, replacement);
  if (Array.isArray(value)) return value.map((item, index) => (String(index) === key ? changed : item));
  return { ...value, [key]: changed };
}

/** `-123.045`: a decimal as instruments write them (fc.double would give mostly 0.000). */
export const decimalText: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: -100_000, max: 100_000 }), fc.nat(999))
  .map(([whole, thousandths]) => `${whole}.${String(thousandths).padStart(3, '0')}`);

/** Number-like field text: plain, signed, fractional, exponent, and not quite numbers. */
export const shortNumberText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.integer({ min: -100_000, max: 100_000 }).map(String), weight: 3 },
  { arbitrary: decimalText, weight: 3 },
  fc.double({ noNaN: true }).map(String),
  fc.constantFrom('', '+', '-', '.', '1.', '.5', '+1.5', '1e5', '1e309', '-1e309', 'NAN', 'INF', 'abc'),
);

/** Digits enough to overflow a double (about 309), which a pattern of digits does not notice. */
export const overlongNumberText: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('', '+', '-'), fc.integer({ min: 300, max: 420 }))
  .map(([sign, digits]) => sign + '9'.repeat(digits));

export const numberText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: shortNumberText, weight: 9 },
  { arbitrary: overlongNumberText, weight: 1 },
);

/** Asserts `code` is a stable error code of the family `prefix` (e.g. `NMEA_`): an upper-case token, never free text. */
export function expectCode(code: unknown, prefix: string): void {
  expect(code).toEqual(expect.stringMatching(new RegExp(`^${prefix}[A-Z0-9_]+$`)));
}

/** Splits `whole` into consecutive pieces at the given positions, as a port delivers bytes in arbitrary chunks. */
export function chunked<T extends { subarray(start: number, end?: number): T; length: number }>(
  whole: T,
  cuts: readonly number[],
): T[] {
  const points = [...new Set(cuts.map((cut) => cut % (whole.length + 1)))].sort((a, b) => a - b);
  const pieces: T[] = [];
  let from = 0;
  for (const point of points) {
    pieces.push(whole.subarray(from, point));
    from = point;
  }
  pieces.push(whole.subarray(from));
  return pieces;
}

/** Positions at which to cut a stream into chunks. */
export const cuts = fc.array(position, { maxLength: 8 });
