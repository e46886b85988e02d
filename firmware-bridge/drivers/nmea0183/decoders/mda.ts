import { type FieldValue, firstPresent, mapValue, numberField } from '../field-value.js';
import { HPA_PER_BAR, HPA_PER_INHG, speedToMs } from '../units.js';
import { fieldKey } from '../value-keys.js';
import { inUnit, type SentenceDecoder } from './decoded.js';

/**
 * Meteorological composite. Units as delivered: pressure hPa (from bar, else inHg), temperatures and
 * dew point °C, humidities %, directions degrees, wind speed m/s (from m/s, else knots).
 */
export const MDA_FIELDS = [
  'pressure',
  'airTemperature',
  'waterTemperature',
  'relativeHumidity',
  'absoluteHumidity',
  'dewPoint',
  'windDirectionTrue',
  'windDirectionMagnetic',
  'windSpeed',
] as const;

type MdaField = (typeof MDA_FIELDS)[number];

/**
 * `$--MDA,inHg,I,bar,B,air,C,water,C,rh,abs,dew,C,dirT,T,dirM,M,kn,N,ms,M`. A talker fills only what
 * it measures; the rest are null fields.
 */
export const decodeMda: SentenceDecoder = (f) => {
  const number = (index: number, what: string, unit: string) =>
    inUnit(numberField(f[index], what), f[index + 1], unit, what);
  const values: Record<MdaField, FieldValue> = {
    pressure: firstPresent(
      mapValue(number(3, 'pressure', 'B'), (bar) => bar * HPA_PER_BAR),
      mapValue(number(1, 'pressure', 'I'), (inHg) => inHg * HPA_PER_INHG),
    ),
    airTemperature: number(5, 'air temperature', 'C'),
    waterTemperature: number(7, 'water temperature', 'C'),
    relativeHumidity: numberField(f[9], 'relative humidity'),
    absoluteHumidity: numberField(f[10], 'absolute humidity'),
    dewPoint: number(11, 'dew point', 'C'),
    windDirectionTrue: number(13, 'wind direction', 'T'),
    windDirectionMagnetic: number(15, 'wind direction', 'M'),
    windSpeed: firstPresent(
      number(19, 'wind speed', 'M'),
      mapValue(number(17, 'wind speed', 'N'), (knots) => speedToMs(knots, 'N')),
    ),
  };
  return { values: new Map(MDA_FIELDS.map((field) => [fieldKey('MDA', field), values[field]])) };
};
