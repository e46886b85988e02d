import { z } from 'zod';
import { SlugSchema } from '../../../protocol/index.js';
import { GGA_FIELDS } from './decoders/gga.js';
import { MDA_FIELDS } from './decoders/mda.js';
import { MWV_FIELDS, MWV_REFERENCES } from './decoders/mwv.js';
import { RMC_FIELDS } from './decoders/rmc.js';

/** NMEA 0183's limit: 82 characters from `$` to the line end, CR LF included. */
export const NMEA_STANDARD_LENGTH = 82;

/** A port where an NMEA 0183 talker sends sentences (4800 baud by the standard; many instruments use more). */
export const NmeaPortProtocolSchema = z.strictObject({
  type: z.literal('nmea0183'),
  /** `optional` takes sentences without `*hh` from very old talkers; a checksum present is always checked. */
  checksum: z.enum(['required', 'optional']).default('required'),
  /**
   * Longest sentence accepted, counted as the standard counts (from `$` to CR LF). Instruments with many
   * XDR quads exceed the standard's 82, so the default leaves room; longer sentences are errors.
   */
  maxSentenceLength: z.number().int().min(NMEA_STANDARD_LENGTH).max(1000).default(200),
});

const TalkerSchema = z
  .string()
  .regex(/^[A-Z][A-Z0-9]$/, 'expected a two-character talker id such as WI, II, GP or GN');

const SelectionBase = {
  type: z.literal('nmea0183'),
  /** Id of an entry in `serialPorts` with protocol nmea0183. */
  port: SlugSchema,
  /** Only sentences from this talker; by default any talker's. */
  talker: TalkerSchema.optional(),
};

const MwvSelectionSchema = z.strictObject({
  ...SelectionBase,
  sentence: z.literal('MWV'),
  field: z.enum(MWV_FIELDS),
  /** Talkers may send both; a sensor reads one. `relative` is to the instrument's own axis. */
  reference: z.enum(MWV_REFERENCES),
});

const MdaSelectionSchema = z.strictObject({
  ...SelectionBase,
  sentence: z.literal('MDA'),
  field: z.enum(MDA_FIELDS),
});

const XdrSelectionSchema = z.strictObject({
  ...SelectionBase,
  sentence: z.literal('XDR'),
  /** Transducer type letter: C temperature, P pressure, H humidity, U voltage, A angle, ... */
  transducer: z.string().regex(/^[A-Z]$/, 'expected one upper-case letter, e.g. C for temperature'),
  /** The transducer's name as the talker writes it in the quad's fourth field, e.g. TAIR. */
  name: z
    .string()
    .regex(/^[^,*$!\s]{1,32}$/, 'expected 1-32 characters without spaces, ",", "*", "$" or "!"'),
  /** The unit letter values must carry (e.g. C, B, P, H); another unit is then an error, not a silent mix-up. */
  unit: z
    .string()
    .regex(/^[A-Z]$/, 'expected one upper-case letter, e.g. B for bar')
    .optional(),
});

const GgaSelectionSchema = z.strictObject({
  ...SelectionBase,
  sentence: z.literal('GGA'),
  field: z.enum(GGA_FIELDS),
});

const RmcSelectionSchema = z.strictObject({
  ...SelectionBase,
  sentence: z.literal('RMC'),
  field: z.enum(RMC_FIELDS),
});

/** A sensor that reads one value out of the sentences on an nmea0183 port. */
export const NmeaDriverConfigSchema = z.discriminatedUnion('sentence', [
  MwvSelectionSchema,
  MdaSelectionSchema,
  XdrSelectionSchema,
  GgaSelectionSchema,
  RmcSelectionSchema,
]);

export type NmeaPortProtocol = z.output<typeof NmeaPortProtocolSchema>;
export type NmeaDriverConfig = z.output<typeof NmeaDriverConfigSchema>;
