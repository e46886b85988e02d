import { type FieldValue, invalid, mapValue, numberField } from '../field-value.js';
import { speedToMs } from '../units.js';
import { mwvKey } from '../value-keys.js';
import type { SentenceDecoder } from './decoded.js';

/** Wind angle (degrees, 0-360, from the bow or north) and wind speed (m/s). */
export const MWV_FIELDS = ['windAngle', 'windSpeed'] as const;
export const MWV_REFERENCES = ['relative', 'true'] as const;

const REFERENCE: Readonly<Record<string, (typeof MWV_REFERENCES)[number]>> = { R: 'relative', T: 'true' };

function angle(text: string | undefined): FieldValue {
  return mapValue(numberField(text, 'wind angle'), (degrees) =>
    degrees >= 0 && degrees <= 360
      ? degrees
      : invalid('NMEA_FIELD_INVALID', `wind angle ${degrees} is not 0-360`),
  );
}

/** `$--MWV,angle,R|T,speed,K|M|N|S,A|V`: wind speed and angle; status V means the data is invalid. */
export const decodeMwv: SentenceDecoder = (fields) => {
  const letter = fields[2] ?? '';
  // Own keys only: a reference field of "__proto__" or "constructor" would find Object's.
  const reference = Object.hasOwn(REFERENCE, letter) ? REFERENCE[letter] : undefined;
  if (reference === undefined) {
    return { code: 'NMEA_FIELD_INVALID', reason: `MWV reference "${letter}" is neither R nor T` };
  }
  const status = fields[5] ?? '';
  let windAngle = angle(fields[1]);
  let windSpeed = mapValue(numberField(fields[3], 'wind speed'), (speed) => speedToMs(speed, fields[4]));
  if (status === 'V') {
    windAngle = windSpeed = invalid(
      'NMEA_STATUS_INVALID',
      'MWV status V: the instrument marks its wind data invalid',
    );
  } else if (status !== 'A' && status !== '') {
    return { code: 'NMEA_FIELD_INVALID', reason: `MWV status "${status}" is neither A nor V` };
  }
  return {
    values: new Map([
      [mwvKey(reference, 'windAngle'), windAngle],
      [mwvKey(reference, 'windSpeed'), windSpeed],
    ]),
  };
};
