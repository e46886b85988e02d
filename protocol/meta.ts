import { z } from 'zod';
import { SensorIdSchema } from './identifiers.js';
import { TimestampSchema } from './time.js';

/** Most sensors a meta message describes: as many as a gateway may have. */
export const MAX_META_SENSORS = 1000;
/** Coefficients of one calibration: a polynomial or a cell constant needs a handful, never hundreds. */
export const MAX_COEFFICIENTS = 32;

// Dates before 1900 are typos (a year 0019) rather than instruments; after 2100 a clock fault.
const EARLIEST_META_MS = Date.UTC(1900, 0, 1);
const LATEST_META_MS = Date.UTC(2100, 0, 1);
/**
 * A date without a zone (`2026-03-14`) is read as UTC midnight, which in Chongqing (UTC+8) is still
 * the previous evening: a calibration done this morning local time must not look like the future.
 */
export const FUTURE_TOLERANCE_MS = 24 * 3_600_000;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** WGS 84 position; elevation in metres above sea level (caves and mines may be below it). */
export const PositionSchema = z.object({
  latitude: finite.min(-90, 'must be between -90 and 90').max(90, 'must be between -90 and 90'),
  longitude: finite.min(-180, 'must be between -180 and 180').max(180, 'must be between -180 and 180'),
  elevation: finite
    .min(-12_000, 'must be between -12000 and 9000 m')
    .max(9000, 'must be between -12000 and 9000 m')
    .optional(),
});

/** A calendar date (`2026-03-14`, read as UTC) or an RFC 3339 time with a zone; kept as written. */
export const MetaDateSchema = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: 'must be a date such as 2026-03-14 or an RFC 3339 time with a zone',
  })
  .refine((text) => {
    const ms = metaDateMs(text);
    return ms >= EARLIEST_META_MS && ms < LATEST_META_MS;
  }, 'must be between 1900-01-01 and 2100-01-01');

/** Epoch ms of a metadata date: a calendar date is UTC midnight. */
export function metaDateMs(text: string): number {
  return Date.parse(text);
}

const TextSchema = (max: number) => z.string().trim().min(1).max(max);

// Coefficient names become JSON keys in storage and API answers, never tags: names like "a0", "slope".
const CoefficientNameSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,31}$/, 'must be a name such as "slope" or "a0"');

/** A calibration: when it was done (and is in force from), its coefficients and who did it. */
export const CalibrationSchema = z.object({
  date: MetaDateSchema,
  coefficients: z
    .record(CoefficientNameSchema, finite)
    .refine(
      (record) => Object.keys(record).length <= MAX_COEFFICIENTS,
      `at most ${MAX_COEFFICIENTS} coefficients`,
    )
    .optional(),
  by: TextSchema(200).optional(),
  note: TextSchema(1000).optional(),
});

/** What a data paper asks of a station, a gateway or a sensor; every part optional. */
export const MetadataSchema = z.object({
  position: PositionSchema.optional(),
  make: TextSchema(100).optional(),
  model: TextSchema(100).optional(),
  serial: TextSchema(100).optional(),
  installed: MetaDateSchema.optional(),
  calibration: CalibrationSchema.optional(),
  description: TextSchema(2000).optional(),
});

export const SensorMetaSchema = MetadataSchema.extend({ sensor: SensorIdSchema });

export type Position = z.infer<typeof PositionSchema>;
export type Calibration = z.infer<typeof CalibrationSchema>;
export type Metadata = z.infer<typeof MetadataSchema>;
export type SensorMeta = z.infer<typeof SensorMetaSchema>;

export interface DatedField {
  /** Where the date sits, as a path into the checked object. */
  path: (string | number)[];
  text: string;
}

/** The dates in one metadata record, with their paths, for the checks that need a "now". */
export function metadataDates(meta: Metadata, path: (string | number)[]): DatedField[] {
  const dates: DatedField[] = [];
  if (meta.installed !== undefined) dates.push({ path: [...path, 'installed'], text: meta.installed });
  if (meta.calibration !== undefined)
    dates.push({ path: [...path, 'calibration', 'date'], text: meta.calibration.date });
  return dates;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The dates that lie after `nowMs` (a calendar date given a day's grace for its zone): impossible ones. */
export function futureDates(dates: readonly DatedField[], nowMs: number): DatedField[] {
  return dates.filter(
    (date) => metaDateMs(date.text) > nowMs + (DATE_ONLY.test(date.text) ? FUTURE_TOLERANCE_MS : 0),
  );
}

export const META_VERSION = 1;

/**
 * The retained `meta` message: what a gateway knows about its station, itself and its sensors.
 * Published whenever it changes; `time` is when it changed, so a stored history can say what was in
 * force when. Station and gateway ids come from the topic.
 */
export const MetaMessageSchema = z
  .object({
    v: z.literal(META_VERSION),
    time: TimestampSchema,
    station: MetadataSchema.optional(),
    gateway: MetadataSchema.optional(),
    sensors: z.array(SensorMetaSchema).max(MAX_META_SENSORS),
  })
  .superRefine((message, ctx) => {
    const seen = new Set<string>();
    message.sensors.forEach((sensor, index) => {
      if (seen.has(sensor.sensor))
        ctx.addIssue({ code: 'custom', path: ['sensors', index, 'sensor'], message: 'duplicate sensor id' });
      seen.add(sensor.sensor);
    });
    // A date after the message was sent is impossible: the clock or the config is wrong.
    const dates = [
      ...(message.station ? metadataDates(message.station, ['station']) : []),
      ...(message.gateway ? metadataDates(message.gateway, ['gateway']) : []),
      ...message.sensors.flatMap((sensor, index) => metadataDates(sensor, ['sensors', index])),
    ];
    for (const date of futureDates(dates, message.time)) {
      ctx.addIssue({ code: 'custom', path: date.path, message: `${date.text} is after the message's time` });
    }
  });

export type MetaMessageInput = z.input<typeof MetaMessageSchema>;
export type MetaMessage = z.output<typeof MetaMessageSchema>;
