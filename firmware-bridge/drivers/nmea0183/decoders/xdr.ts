import { type FieldValue, numberField } from '../field-value.js';
import { xdrKey } from '../value-keys.js';
import type { SentenceDecoder } from './decoded.js';

/**
 * `$--XDR,type,value,unit,name[,type,value,unit,name...]`: transducer measurements in quads. Values keep
 * the talker's unit; a sensor may pin the unit letter it expects. Talkers often spread their quads over
 * several XDR sentences, so a quad missing from one sentence is no fault.
 */
export const decodeXdr: SentenceDecoder = (fields) => {
  const quads = fields.length - 1;
  if (quads === 0 || quads % 4 !== 0) {
    return {
      code: 'NMEA_FIELD_INVALID',
      reason: `XDR has ${quads} fields, expected groups of 4 (type,value,unit,name)`,
    };
  }
  const values = new Map<string, FieldValue>();
  for (let at = 1; at < fields.length; at += 4) {
    const [type, text, unit, name] = fields.slice(at, at + 4) as [string, string, string, string];
    const value = numberField(text, `XDR ${type} ${name}`);
    values.set(xdrKey(type, name), value.kind === 'value' ? { ...value, unit } : value);
  }
  return { values };
};
