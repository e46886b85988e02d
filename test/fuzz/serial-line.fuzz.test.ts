import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineBuffer, type LineChunk } from '../../firmware-bridge/drivers/serial/line-buffer.js';
import { formatChecksum } from '../../firmware-bridge/drivers/serial/nmea-checksum.js';
import {
  type CsvLineFormat,
  type LineFormat,
  LineFormatSchema,
  linesNameChannel,
} from '../../firmware-bridge/drivers/serial-line/config.js';
import { lineRoute, parseLine } from '../../firmware-bridge/drivers/serial-line/line-parser.js';
import { TimestampSchema } from '../../protocol/index.js';
import { chunked, cuts, expectCode, mutated, numberText, oddText, RUNS } from './fuzz-inputs.js';

const CHANNELS = ['t1', 'rh', 'co2-1', 'ch.4'];
type CsvColumn = CsvLineFormat['columns'][number];

/** What a line in a format is made of before it is written out. */
interface LineParts {
  channel: string;
  value: string;
  time: string;
}

/** Regex formats with a writer for lines that fit them. */
const REGEX_FORMATS = [
  {
    format: { pattern: '^(?<channel>[\\w.-]+):\\s*(?<value>\\S+)(?:\\s+(?<time>\\S+))?$' },
    write: (p: LineParts) => `${p.channel}: ${p.value} ${p.time}`,
  },
  { format: { pattern: '^T=(?<value>[-+.\\dEe]+)C$', flags: 'i' }, write: (p: LineParts) => `T=${p.value}C` },
  {
    format: { pattern: '(?<time>\\d{13}) (?<channel>\\w+) (?<value>.*)', flags: 's' },
    write: (p: LineParts) => `${p.time} ${p.channel} ${p.value}`,
  },
];

const timeText = fc.oneof(
  fc.constant(''),
  fc.integer({ min: 0, max: 5_000_000_000_000 }).map(String),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc.constantFrom('2026-02-30T00:00:00Z', '2026-11-27T08:00:00', '2026-11-27T08:00:00+25:00', '-1', '1e12'),
);

const partsArb: fc.Arbitrary<LineParts> = fc.record({
  channel: fc.oneof({ arbitrary: fc.constantFrom(...CHANNELS), weight: 4 }, oddText(8)),
  value: numberText,
  time: timeText,
});

/** A format as the config would give it (defaults applied), with a writer for lines in it. */
const formatArb: fc.Arbitrary<{ format: LineFormat; write: (parts: LineParts) => string }> = fc.oneof(
  fc
    .record({
      delimiter: fc.constantFrom(',', ';', '\t', ' ', '|'),
      columns: fc
        .tuple(fc.shuffledSubarray<CsvColumn>(['channel', 'time', 'skip']), fc.nat())
        .map(([rest, at]) => rest.toSpliced(at % (rest.length + 1), 0, 'value')),
    })
    .map(({ delimiter, columns }) => ({
      format: LineFormatSchema.parse({ type: 'csv', delimiter, columns }),
      write: (p: LineParts) =>
        columns
          .map((role) => (role === 'skip' ? 'x' : role === 'channel' ? p.channel : p[role]))
          .join(delimiter),
    })),
  fc.constant({
    format: LineFormatSchema.parse({ type: 'kv' }),
    write: (p: LineParts) => `sensor=${p.channel} value=${p.value} time=${p.time}`,
  }),
  fc.constant({ format: LineFormatSchema.parse({ type: 'value' }), write: (p: LineParts) => p.value }),
  fc.constantFrom(...REGEX_FORMATS).map(({ format, write }) => ({
    format: LineFormatSchema.parse({ type: 'regex', ...format }),
    write,
  })),
);

const scenarioArb = fc
  .record({
    written: formatArb,
    checksum: fc.boolean(),
    sensors: fc.integer({ min: 1, max: CHANNELS.length }),
  })
  .chain(({ written, checksum, sensors }) => {
    const format = { ...written.format, checksum: checksum ? ('nmea' as const) : undefined };
    const sealed = (body: string) => (checksum ? `$${body}*${formatChecksum(body)}` : body);
    const body = partsArb.map(written.write);
    return fc.record({
      format: fc.constant(format),
      // As the config allows: a port whose lines name no channel feeds one sensor.
      sensors: fc.constant(linesNameChannel(format) ? sensors : 1),
      line: fc.oneof(body.map(sealed), mutated(body).map(sealed), mutated(body.map(sealed)), oddText(200)),
    });
  });

describe('serial-line parseLine, fuzzed', () => {
  it('turns any line into a sample of a known sensor, a blank, or a coded LINE_ error', () => {
    fc.assert(
      fc.property(scenarioArb, ({ format, sensors, line }) => {
        const onPort = CHANNELS.slice(0, sensors).map((channel, index) => ({ sensor: `s${index}`, channel }));
        const route = lineRoute(format, onPort);
        const ids = onPort.map(({ sensor }) => sensor);
        const result = parseLine(line, route);
        switch (result.kind) {
          case 'sample':
            expect(ids).toContain(result.sensor);
            expect(Number.isFinite(result.value)).toBe(true);
            if (result.timeMs !== undefined)
              expect(TimestampSchema.safeParse(result.timeMs).success).toBe(true);
            break;
          case 'error':
            expectCode(result.code, 'LINE_');
            expect(typeof result.reason).toBe('string');
            if (result.sensor !== undefined) expect(ids).toContain(result.sensor);
            break;
          case 'blank':
            expect(line.trim()).toBe('');
            break;
        }
      }),
      { numRuns: RUNS },
    );
  });
});

/** What LineBuffer must give for a whole stream, however it is chunked: the spec as a few lines. */
function expectedChunks(stream: Buffer, maxBytes: number): LineChunk[] {
  const overflows = (bytes: number) =>
    bytes <= maxBytes ? 0 : Math.floor((bytes - maxBytes - 1) / maxBytes) + 1;
  const segments: Buffer[] = [];
  let from = 0;
  for (let newline = stream.indexOf(0x0a); newline >= 0; newline = stream.indexOf(0x0a, from)) {
    segments.push(stream.subarray(from, newline));
    from = newline + 1;
  }
  const out: LineChunk[] = [];
  for (const segment of segments) {
    if (segment.length <= maxBytes) out.push({ kind: 'line', text: segment.toString('utf8') });
    else for (let k = 0; k < overflows(segment.length); k += 1) out.push({ kind: 'overflow' });
  }
  for (let k = 0; k < overflows(stream.length - from); k += 1) out.push({ kind: 'overflow' });
  return out;
}

describe('LineBuffer, fuzzed', () => {
  it('cuts any byte stream, chunked any way, into the same lines and overflows', () => {
    const stream = fc.oneof(
      fc.uint8Array({ maxLength: 400 }),
      fc
        .array(fc.oneof(oddText(40), fc.constant('\n')), { maxLength: 30 })
        .map((parts) => Buffer.from(parts.join(''))),
    );
    fc.assert(
      fc.property(stream, cuts, fc.integer({ min: 1, max: 64 }), (bytes, at, maxBytes) => {
        const buffer = new LineBuffer(maxBytes);
        const whole = Buffer.from(bytes);
        const got = chunked(whole, at).flatMap((chunk) => buffer.push(chunk));
        expect(got).toEqual(expectedChunks(whole, maxBytes));
      }),
      { numRuns: RUNS },
    );
  });
});
