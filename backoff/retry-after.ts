/**
 * An HTTP `Retry-After` (seconds, or an HTTP date) as milliseconds from `now`; undefined when it is
 * absent or unreadable, so the caller's own back-off applies.
 */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
