/** Epoch ms as RFC 3339 in UTC with milliseconds, the one time format of the API's output. */
export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
