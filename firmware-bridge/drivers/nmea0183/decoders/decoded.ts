import type { FieldValue, NmeaErrorCode } from '../field-value.js';
import type { SentenceTime } from '../gps-time.js';

/** What one valid sentence says: its selectable values by selection key, and the UTC it carries. */
export interface DecodedSentence {
  values: ReadonlyMap<string, FieldValue>;
  time?: SentenceTime;
}

/** A sentence that cannot be read at all: every sensor reading from it is affected. */
export interface SentenceFault {
  code: NmeaErrorCode;
  reason: string;
}

/** Decodes a sentence's comma-separated fields; `fields[0]` is the address, so `fields[n]` is field n. */
export type SentenceDecoder = (fields: readonly string[]) => DecodedSentence | SentenceFault;

/** A unit letter that must be `expected` whenever its value is present (the talker may leave both empty). */
export function inUnit(
  field: FieldValue,
  unit: string | undefined,
  expected: string,
  what: string,
): FieldValue {
  if (field.kind !== 'value' || unit === expected) return field;
  return {
    kind: 'invalid',
    code: 'NMEA_FIELD_INVALID',
    reason: `${what} in unit "${unit ?? ''}", expected "${expected}"`,
  };
}
