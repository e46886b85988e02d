import { z } from 'zod';
import { SlugSchema } from '../../../protocol/index.js';
import { checkLinePattern, compilePattern, MAX_PATTERN_LENGTH, patternGroups } from './line-pattern.js';

/**
 * `nmea`: each line ends in `*hh`, the XOR of its bytes between an optional leading `$`/`!` and the
 * `*`, as NMEA 0183 sentences do. The format then reads what lies between.
 */
const ChecksumSchema = z.enum(['nmea']).optional();

const FieldName = z.string().regex(/^[A-Za-z0-9_.-]{1,32}$/, 'must be 1-32 letters, digits, "_", "." or "-"');

export const CsvLineFormatSchema = z.strictObject({
  type: z.literal('csv'),
  delimiter: z.string().length(1).default(','),
  /** One entry per column: which holds the channel key, the value, the sample time, or nothing of ours. */
  columns: z
    .array(z.enum(['channel', 'value', 'time', 'skip']))
    .min(1)
    .max(64)
    .refine(
      (columns) => {
        const count = (role: string) => columns.filter((column) => column === role).length;
        return count('value') === 1 && count('channel') <= 1 && count('time') <= 1;
      },
      { message: 'expected exactly one "value" column and at most one "channel" and one "time" column' },
    ),
  checksum: ChecksumSchema,
});

export const KeyValueLineFormatSchema = z.strictObject({
  type: z.literal('kv'),
  channelKey: FieldName.default('sensor'),
  valueKey: FieldName.default('value'),
  timeKey: FieldName.default('time'),
  checksum: ChecksumSchema,
});

/** The whole line is the value: only for a port that carries one sensor. */
export const ValueLineFormatSchema = z.strictObject({ type: z.literal('value'), checksum: ChecksumSchema });

/**
 * A regular expression with named groups `value` and optionally `channel` and `time`, for instruments
 * whose lines fit no simpler format. Anchor it (^...$) to match the whole line.
 */
export const RegexLineFormatSchema = z
  .strictObject({
    type: z.literal('regex'),
    pattern: z.string().min(1).max(MAX_PATTERN_LENGTH),
    /** `g` and `y` are refused: they make a RegExp stateful between lines. */
    flags: z
      .string()
      .regex(/^[imsu]{0,4}$/, 'expected flags among i, m, s and u')
      .default(''),
    checksum: ChecksumSchema,
  })
  .superRefine(checkLinePattern);

/** The port protocols the serial-line driver reads: one text line per reading. */
export const LINE_PROTOCOLS = [
  CsvLineFormatSchema,
  KeyValueLineFormatSchema,
  ValueLineFormatSchema,
  RegexLineFormatSchema,
] as const;

export const LineFormatSchema = z.discriminatedUnion('type', [...LINE_PROTOCOLS]);

export const LINE_PROTOCOL_TYPES = [
  'csv',
  'kv',
  'value',
  'regex',
] as const satisfies readonly LineFormat['type'][];

export const SerialLineDriverConfigSchema = z.strictObject({
  type: z.literal('serial-line'),
  /** Id of an entry in `serialPorts`. */
  port: SlugSchema,
  /** The key that marks this sensor's lines on a shared port; defaults to the sensor id. */
  channel: z
    .string()
    .regex(/^[^\s,=]{1,64}$/, 'must be 1-64 characters without spaces, "," or "="')
    .optional(),
});

export type LineFormat = z.output<typeof LineFormatSchema>;
export type CsvLineFormat = z.output<typeof CsvLineFormatSchema>;
export type KeyValueLineFormat = z.output<typeof KeyValueLineFormatSchema>;
export type RegexLineFormat = z.output<typeof RegexLineFormatSchema>;
export type SerialLineDriverConfig = z.output<typeof SerialLineDriverConfigSchema>;

export function isLineFormat(protocol: { type: string }): protocol is LineFormat {
  return (LINE_PROTOCOL_TYPES as readonly string[]).includes(protocol.type);
}

/** Whether lines on a port in this format name their channel, so the port can carry several sensors. */
export function linesNameChannel(format: LineFormat): boolean {
  switch (format.type) {
    case 'kv':
      return true;
    case 'csv':
      return format.columns.includes('channel');
    case 'value':
      return false;
    case 'regex': {
      const compiled = compilePattern(format.pattern, format.flags);
      return !(compiled instanceof Error) && patternGroups(compiled).includes('channel');
    }
  }
}

/** The channel a serial-line sensor answers to. */
export function channelOf(sensor: { id: string; driver: SerialLineDriverConfig }): string {
  return sensor.driver.channel ?? sensor.id;
}
