/** The longest silence: planned work longer than a month should change the rules, not mute them. */
export const SILENCE_MAX_MS = 30 * 86_400_000;
export const SILENCE_MAX_TEXT = '30 days';

/** `30m`, `2h`, `7d`: a whole number of minutes, hours or days. */
export const SILENCE_DURATION_PATTERN = /^([1-9][0-9]{0,5})(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds in a silence duration such as `2h`; undefined for anything else. */
export function silenceDurationMs(text: string): number | undefined {
  const match = SILENCE_DURATION_PATTERN.exec(text);
  if (match === null) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

export type SilenceEnd =
  | { ok: true; untilMs: number }
  | { ok: false; parameter: 'until' | 'for'; message: string };

/**
 * When a silence asked for as `until` (an instant) or `for` (a duration from now) ends, held to the
 * future and to at most SILENCE_MAX_MS from now. Pure: the caller says what time it is.
 */
export function silenceEnd(request: { until?: number; for?: string }, nowMs: number): SilenceEnd {
  if (request.for !== undefined) {
    const ms = silenceDurationMs(request.for);
    if (ms === undefined)
      return { ok: false, parameter: 'for', message: 'must be a duration such as 30m, 2h or 7d' };
    if (ms > SILENCE_MAX_MS)
      return { ok: false, parameter: 'for', message: `must be at most ${SILENCE_MAX_TEXT}` };
    return { ok: true, untilMs: nowMs + ms };
  }
  const until = request.until;
  if (until === undefined) return { ok: false, parameter: 'until', message: 'give "until" or "for"' };
  if (until <= nowMs) return { ok: false, parameter: 'until', message: 'must be in the future' };
  if (until - nowMs > SILENCE_MAX_MS)
    return { ok: false, parameter: 'until', message: `must be at most ${SILENCE_MAX_TEXT} from now` };
  return { ok: true, untilMs: until };
}
