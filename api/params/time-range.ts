import { parseTimeExpression, TIME_EXPRESSION_HINT } from './time-expression.js';

export interface TimeRange {
  fromMs: number;
  toMs: number;
}

export type TimeRangeResult =
  | { ok: true; range: TimeRange }
  | { ok: false; parameter: 'from' | 'to'; message: string };

/** Resolves `from` and `to` against one `now`, so `-1h`..`now` is exactly an hour; `from` must come first. */
export function resolveTimeRange(from: string, to: string, nowMs: number): TimeRangeResult {
  const fromMs = parseTimeExpression(from, nowMs);
  if (fromMs === undefined) return { ok: false, parameter: 'from', message: TIME_EXPRESSION_HINT };
  const toMs = parseTimeExpression(to, nowMs);
  if (toMs === undefined) return { ok: false, parameter: 'to', message: TIME_EXPRESSION_HINT };
  if (fromMs >= toMs) return { ok: false, parameter: 'from', message: `must be before "to" (${to})` };
  return { ok: true, range: { fromMs, toMs } };
}
