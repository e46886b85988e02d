import type { GatewayErrorCode } from '../../errors.js';

export type NmeaErrorCode = Extract<GatewayErrorCode, `NMEA_${string}`>;

/** One selectable value of a sentence, as this sentence carried it. */
export type FieldValue =
  | {
      kind: 'value';
      value: number /** The unit letter the talker wrote, where the sentence has one. */;
      unit?: string;
    }
  /** A null field: the talker had nothing to say this time. */
  | { kind: 'empty' }
  | { kind: 'invalid'; code: NmeaErrorCode; reason: string };

export const EMPTY: FieldValue = { kind: 'empty' };

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

export function invalid(code: NmeaErrorCode, reason: string): FieldValue {
  return { kind: 'invalid', code, reason };
}

/** A numeric field; `what` names it in the reason when it is not a number. */
export function numberField(text: string | undefined, what: string): FieldValue {
  if (text === undefined || text === '') return EMPTY;
  // A sentence may be 1000 characters long: 309 digits fit the pattern but overflow a double.
  const value = Number(text);
  if (!NUMBER.test(text) || !Number.isFinite(value))
    return invalid('NMEA_FIELD_INVALID', `${what} "${text.slice(0, 20)}" is not a number`);
  return { kind: 'value', value };
}

/** Applies `convert` to a value; empty and invalid fields pass through. */
export function mapValue(field: FieldValue, convert: (value: number) => number | FieldValue): FieldValue {
  if (field.kind !== 'value') return field;
  const converted = convert(field.value);
  if (typeof converted !== 'number') return converted;
  // A value near the double's limit overflows when scaled, e.g. bar to hPa.
  if (!Number.isFinite(converted))
    return invalid('NMEA_FIELD_INVALID', `${field.value} is out of range once converted`);
  return { ...field, value: converted };
}

/** The first of `fields` that holds a value or is invalid; empty if all are empty. */
export function firstPresent(...fields: FieldValue[]): FieldValue {
  return fields.find((field) => field.kind !== 'empty') ?? EMPTY;
}
