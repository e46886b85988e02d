import { EMPTY, type FieldValue, invalid } from './field-value.js';

/** Metres per second in one unit of each speed unit letter NMEA uses. */
const SPEED_TO_MS: Readonly<Record<string, number>> = {
  M: 1,
  K: 1000 / 3600,
  N: 1852 / 3600,
  S: 1609.344 / 3600,
};

/** A speed in the sentence's unit letter (M m/s, K km/h, N knots, S statute mph), in m/s. */
export function speedToMs(value: number, unit: string | undefined): number | FieldValue {
  // Own keys only: a unit field of "__proto__" or "constructor" would find Object's.
  const factor = unit !== undefined && Object.hasOwn(SPEED_TO_MS, unit) ? SPEED_TO_MS[unit] : undefined;
  if (factor === undefined) return invalid('NMEA_FIELD_INVALID', `unknown speed unit "${unit ?? ''}"`);
  return value * factor;
}

export const HPA_PER_BAR = 1000;
/** Standard inch of mercury at 0 °C: 3386.389 Pa. */
export const HPA_PER_INHG = 33.86389;

/**
 * `ddmm.mmmm` (latitude, 2 degree digits) or `dddmm.mmmm` (longitude, 3) with its hemisphere letter,
 * as signed decimal degrees (south and west negative).
 */
export function degreesMinutes(
  value: string | undefined,
  hemisphere: string | undefined,
  degreeDigits: 2 | 3,
): FieldValue {
  if (value === undefined || value === '') return EMPTY;
  const match = new RegExp(`^(\\d{${degreeDigits}})(\\d{2}(\\.\\d+)?)$`).exec(value);
  const positive = degreeDigits === 2 ? 'N' : 'E';
  const negative = degreeDigits === 2 ? 'S' : 'W';
  if (match === null || (hemisphere !== positive && hemisphere !== negative)) {
    return invalid(
      'NMEA_FIELD_INVALID',
      `position "${value},${hemisphere ?? ''}" is not ${degreeDigits === 2 ? 'ddmm.mm,N|S' : 'dddmm.mm,E|W'}`,
    );
  }
  const minutes = Number(match[2]);
  const degrees = Number(match[1]) + minutes / 60;
  if (minutes >= 60 || degrees > (degreeDigits === 2 ? 90 : 180)) {
    return invalid('NMEA_FIELD_INVALID', `position "${value}" is out of range`);
  }
  return { kind: 'value', value: hemisphere === negative ? -degrees : degrees };
}
