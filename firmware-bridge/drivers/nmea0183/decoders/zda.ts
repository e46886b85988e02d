import { parseTimeOfDay, utcDate } from '../gps-time.js';
import type { SentenceDecoder } from './decoded.js';

/** `$--ZDA,hhmmss.ss,dd,mm,yyyy,zh,zm`: UTC date and time, nothing to select. */
export const decodeZda: SentenceDecoder = (f) => {
  const msOfDay = parseTimeOfDay(f[1]);
  const date = /^\d{4}$/.test(f[4] ?? '') ? utcDate(Number(f[4]), Number(f[3]), Number(f[2])) : undefined;
  const time = msOfDay !== undefined && date !== undefined ? date + msOfDay : undefined;
  return { values: new Map(), ...(time === undefined ? {} : { time: { kind: 'datetime', timeMs: time } }) };
};
