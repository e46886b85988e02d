const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const YEAR_MS = 365.25 * DAY_MS;

export { DAY_MS, HOUR_MS };

/** Local solar-ish hour in [0, 24) for a station `utcOffsetHours` east of UTC. */
export function localHour(timeMs: number, utcOffsetHours: number): number {
  const hours = (timeMs / HOUR_MS + utcOffsetHours) % 24;
  return hours < 0 ? hours + 24 : hours;
}

/** A daily cosine in [-1, 1] that is 1 at `peakHour` local time. */
export function diurnalCycle(timeMs: number, peakHour: number, utcOffsetHours: number): number {
  return Math.cos((2 * Math.PI * (localHour(timeMs, utcOffsetHours) - peakHour)) / 24);
}

/** A yearly cosine in [-1, 1] that is 1 on day-of-year `peakDay` (1 = 1 January). */
export function seasonalCycle(timeMs: number, peakDay: number): number {
  const yearStart = Date.UTC(new Date(timeMs).getUTCFullYear(), 0, 1);
  const day = (timeMs - yearStart) / DAY_MS + 1;
  return Math.cos((2 * Math.PI * (day - peakDay) * DAY_MS) / YEAR_MS);
}
