import { z } from 'zod';
import { SlugSchema } from '../../../protocol/index.js';
import { FileLocationShape } from '../file-source.js';

/** The logger's clock as an offset from UTC: TOA5 timestamps carry no zone. */
const UtcOffsetSchema = z
  .string()
  .regex(/^[+-](0\d|1[0-4]):[0-5]\d$/, 'must be an offset from UTC such as "+08:00" or "-05:00"');

/** A serial port on which a Campbell logger (CR1000X, CR6) sends a table in TOA5 form. */
export const Toa5ProtocolSchema = z.strictObject({
  type: z.literal('toa5'),
  utcOffset: UtcOffsetSchema,
});

/** A TOA5 file that LoggerNet (or the logger's card) appends to. */
export const Toa5FileProtocolSchema = z.strictObject({
  type: z.literal('toa5'),
  utcOffset: UtcOffsetSchema,
  /** How often the file's size is checked for new rows. */
  pollIntervalMs: z.number().int().min(50).max(600_000).default(1000),
  /**
   * On the very first start (nothing remembered yet): false sends only rows added from now on,
   * true sends every row already in the file too.
   */
  backfill: z.boolean().default(false),
});

/** `files[]`: data files the gateway follows, as `serialPorts[]` are the cables it reads. */
export const FileSourceSchema = z.strictObject({
  ...FileLocationShape,
  protocol: Toa5FileProtocolSchema,
});

export const Toa5DriverConfigSchema = z.strictObject({
  type: z.literal('toa5'),
  /** Id of an entry in `serialPorts` with protocol toa5; give `port` or `file`. */
  port: SlugSchema.optional(),
  /** Id of an entry in `files`; give `port` or `file`. */
  file: SlugSchema.optional(),
  /** The table's field name, as in the header's second line, e.g. `AirTC_Avg`. */
  column: z.string().min(1).max(64),
});

export type Toa5Protocol = z.output<typeof Toa5ProtocolSchema>;
export type Toa5FileProtocol = z.output<typeof Toa5FileProtocolSchema>;
export type FileSource = z.output<typeof FileSourceSchema>;
export type Toa5DriverConfig = z.output<typeof Toa5DriverConfigSchema>;
