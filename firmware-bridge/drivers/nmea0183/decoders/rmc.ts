import { type FieldValue, invalid, mapValue, numberField } from '../field-value.js';
import { parseDdmmyy, parseTimeOfDay } from '../gps-time.js';
import { degreesMinutes, speedToMs } from '../units.js';
import { fieldKey } from '../value-keys.js';
import type { SentenceDecoder } from './decoded.js';

/** Position in decimal degrees, speed over ground in m/s, course over ground in degrees true. */
export const RMC_FIELDS = ['latitude', 'longitude', 'speedOverGround', 'courseOverGround'] as const;

type RmcField = (typeof RMC_FIELDS)[number];

/** `$--RMC,hhmmss.ss,A|V,lat,N|S,lon,E|W,knots,course,ddmmyy,magvar,E|W[,mode]`; status V: no valid fix. */
export const decodeRmc: SentenceDecoder = (f) => {
  const valid = f[2] === 'A';
  const values: Record<RmcField, FieldValue> = {
    latitude: degreesMinutes(f[3], f[4], 2),
    longitude: degreesMinutes(f[5], f[6], 3),
    speedOverGround: mapValue(numberField(f[7], 'speed over ground'), (knots) => speedToMs(knots, 'N')),
    courseOverGround: numberField(f[8], 'course over ground'),
  };
  if (!valid) {
    const reason = `RMC status "${f[2] ?? ''}": the receiver has no valid fix`;
    for (const field of RMC_FIELDS) values[field] = invalid('NMEA_STATUS_INVALID', reason);
  }
  const msOfDay = parseTimeOfDay(f[1]);
  const date = parseDdmmyy(f[9]);
  const time = valid && msOfDay !== undefined && date !== undefined ? date + msOfDay : undefined;
  return {
    values: new Map(RMC_FIELDS.map((field) => [fieldKey('RMC', field), values[field]])),
    ...(time === undefined ? {} : { time: { kind: 'datetime', timeMs: time } }),
  };
};
