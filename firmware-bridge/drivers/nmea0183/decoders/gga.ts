import { type FieldValue, invalid, numberField } from '../field-value.js';
import { parseTimeOfDay } from '../gps-time.js';
import { degreesMinutes } from '../units.js';
import { fieldKey } from '../value-keys.js';
import { inUnit, type SentenceDecoder } from './decoded.js';

/** Latitude and longitude in decimal degrees (south, west negative), altitude above mean sea level in m. */
export const GGA_FIELDS = ['latitude', 'longitude', 'altitude', 'hdop', 'satellites', 'fixQuality'] as const;

type GgaField = (typeof GGA_FIELDS)[number];

/** Values that mean nothing without a fix; satellites and fix quality are reported regardless. */
const NEED_FIX: readonly GgaField[] = ['latitude', 'longitude', 'altitude', 'hdop'];

/**
 * `$--GGA,hhmmss.ss,lat,N|S,lon,E|W,quality,sats,hdop,alt,M,sep,M,age,station`. Fix quality 0 means no
 * fix: position and time are then not to be trusted.
 */
export const decodeGga: SentenceDecoder = (f) => {
  const fixQuality = numberField(f[6], 'fix quality');
  const fixed = fixQuality.kind === 'value' && fixQuality.value > 0;
  const values: Record<GgaField, FieldValue> = {
    latitude: degreesMinutes(f[2], f[3], 2),
    longitude: degreesMinutes(f[4], f[5], 3),
    altitude: inUnit(numberField(f[9], 'altitude'), f[10], 'M', 'altitude'),
    hdop: numberField(f[8], 'HDOP'),
    satellites: numberField(f[7], 'satellites in use'),
    fixQuality,
  };
  if (!fixed) {
    const reason =
      fixQuality.kind === 'value' ? 'GGA fix quality 0: no position fix' : 'GGA without fix quality';
    for (const field of NEED_FIX) values[field] = invalid('NMEA_NO_FIX', reason);
  }
  const msOfDay = fixed ? parseTimeOfDay(f[1]) : undefined;
  return {
    values: new Map(GGA_FIELDS.map((field) => [fieldKey('GGA', field), values[field]])),
    ...(msOfDay === undefined ? {} : { time: { kind: 'time-of-day', msOfDay } }),
  };
};
