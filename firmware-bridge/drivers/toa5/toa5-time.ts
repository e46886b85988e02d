import { GatewayError } from '../../errors.js';

/** `+08:00` -> 480: minutes east of UTC. The schema has checked the shape. */
export function parseUtcOffset(offset: string): number {
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  if (match === null) {
    throw new GatewayError('CONFIG_INVALID', `utcOffset "${offset}" is not ±HH:MM`, { field: 'utcOffset' });
  }
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3})\d*)?$/;

/**
 * A TOA5 TIMESTAMP (`2026-11-27 08:00:00`, logger local time, no zone) as epoch milliseconds UTC,
 * given the logger's offset from UTC in minutes; undefined if it is not a real date and time.
 */
export function toa5TimeMs(text: string, offsetMinutes: number): number | undefined {
  const match = TIMESTAMP.exec(text);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = match[7] === undefined ? 0 : Number(match[7].padEnd(3, '0'));
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const check = new Date(local);
  // Date.UTC rolls 2026-02-30 over into March and month 13 into the next year, and reads years 0-99
  // as 1900-1999; a logger never writes such a date, noise does.
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    check.getUTCHours() !== hour ||
    check.getUTCMinutes() !== minute
  ) {
    return undefined;
  }
  return local - offsetMinutes * 60_000;
}
