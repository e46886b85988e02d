/** The UTC a sentence carries: a full date and time (RMC, ZDA) or only the time of day (GGA). */
export type SentenceTime = { kind: 'datetime'; timeMs: number } | { kind: 'time-of-day'; msOfDay: number };

const DAY_MS = 86_400_000;

/** `hhmmss` or `hhmmss.sss` as milliseconds since midnight; undefined if it is not a time. */
export function parseTimeOfDay(text: string | undefined): number | undefined {
  const match = /^(\d{2})(\d{2})(\d{2}(\.\d+)?)$/.exec(text ?? '');
  if (match === null) return undefined;
  const [hours, minutes, seconds] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // 60 s is a leap second.
  if (hours > 23 || minutes > 59 || seconds >= 61) return undefined;
  return Math.round(((hours * 60 + minutes) * 60 + seconds) * 1000);
}

/** Midnight UTC of a calendar date, or undefined if there is no such date. */
export function utcDate(year: number, month: number, day: number): number | undefined {
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  const real =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? ms : undefined;
}

/** RMC's `ddmmyy`; two-digit years are 2000-2099 (a GPS cannot report a date before 1980 anyway). */
export function parseDdmmyy(text: string | undefined): number | undefined {
  const match = /^(\d{2})(\d{2})(\d{2})$/.exec(text ?? '');
  if (match === null) return undefined;
  return utcDate(2000 + Number(match[3]), Number(match[2]), Number(match[1]));
}

/** The instant with time of day `msOfDay` that lies nearest `anchorMs` (within half a day of it). */
export function nearestTimeOfDay(msOfDay: number, anchorMs: number): number {
  const midnight = Math.floor(anchorMs / DAY_MS) * DAY_MS;
  const candidates = [midnight - DAY_MS, midnight, midnight + DAY_MS].map((day) => day + msOfDay);
  return candidates.reduce((best, candidate) =>
    Math.abs(candidate - anchorMs) < Math.abs(best - anchorMs) ? candidate : best,
  );
}

/**
 * Turns sentence times into full UTC instants. A time of day (GGA) takes its date from the last full
 * date and time the talker sent (RMC, ZDA), carried forward by the gateway's elapsed time; without one,
 * from the gateway's own clock. Either way the nearest day is chosen, so 23:59:59.8 read at 00:00:00.1
 * belongs to the day before. Without a date from the talker a gateway clock that is off by whole days
 * goes unnoticed: only RMC or ZDA can show that.
 */
export class GpsDateAnchor {
  private last: { timeMs: number; receivedAtMs: number } | undefined;

  resolve(time: SentenceTime, receivedAtMs: number): number {
    if (time.kind === 'datetime') {
      this.last = { timeMs: time.timeMs, receivedAtMs };
      return time.timeMs;
    }
    const anchor =
      this.last === undefined ? receivedAtMs : this.last.timeMs + (receivedAtMs - this.last.receivedAtMs);
    return nearestTimeOfDay(time.msOfDay, anchor);
  }
}
