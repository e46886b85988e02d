export const DAY_MS = 86_400_000;
/** What Date accepts: ±100,000,000 days around the epoch. */
const DATE_LIMIT_MS = 8.64e15;

/** Whether isoTime formats `epochMs` itself (a whole ms that Date accepts) rather than through Date. */
export function isPlainTime(epochMs: number): boolean {
  return Number.isInteger(epochMs) && Math.abs(epochMs) <= DATE_LIMIT_MS;
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));

/**
 * The date part (`YYYY-MM-DDT`) of the last day formatted. A series is sorted by time, so its points
 * share a day 288 at a time at 5-minute sampling: one Date per day instead of one per point, which
 * was the largest cost of a raw year's answer.
 */
let lastDay = Number.NaN;
let lastDayPrefix = '';

/** `YYYY-MM-DDT` (or an extended year's `±YYYYYY-MM-DDT`) of a day counted from the epoch. */
export function dayPrefix(day: number): string {
  if (day !== lastDay) {
    const iso = new Date(day * DAY_MS).toISOString();
    lastDayPrefix = iso.slice(0, iso.indexOf('T') + 1);
    lastDay = day;
  }
  return lastDayPrefix;
}

/**
 * Epoch ms as RFC 3339 in UTC with milliseconds, the one time format of the API's output: exactly
 * what `Date#toISOString` gives (extended years included), and throws as it does out of range.
 */
export function isoTime(epochMs: number): string {
  if (!isPlainTime(epochMs)) return new Date(epochMs).toISOString();
  const day = Math.floor(epochMs / DAY_MS);
  let rest = epochMs - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${dayPrefix(day)}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[millis]}Z`;
}
