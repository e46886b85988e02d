import type { ForecastRule } from '../alert-rule.js';
import { formatDuration } from '../duration.js';
import type { KindEvaluator } from './kind.js';
import type { Fit } from './least-squares.js';
import { emptySubjects, type SubjectsState, setSubject } from './subjects.js';
import { addToTrend, type TrendSubject, trendKindParts } from './trend-window.js';

/**
 * Time until the fitted line reaches the limit, in ms: 0 when the fitted value is already there,
 * Infinity when the trend is flat or heads away from it.
 */
export function timeToLimit(rule: Pick<ForecastRule, 'op' | 'limit'>, fit: Fit): number {
  const sign = rule.op === 'above' ? 1 : -1;
  const gap = sign * (rule.limit - fit.latest);
  if (gap <= 0) return 0;
  const towards = sign * fit.slope;
  return towards > 0 ? gap / towards : Number.POSITIVE_INFINITY;
}

function nextFiring(rule: ForecastRule, firing: boolean, fit: Fit): boolean {
  const eta = timeToLimit(rule, fit);
  // Hysteresis: fires within `within`, clears only beyond `clearWithin`, or at once when the trend
  // turns (a falling ice load is no longer heading for the design thickness, whatever its level).
  // It never starts firing past the limit: there the level is the threshold rule's business, and a
  // plateau's noisy slope would otherwise fire and clear it every few readings.
  if (!firing) return eta > 0 && eta <= rule.within;
  const turned = rule.op === 'above' ? fit.slope <= 0 : fit.slope >= 0;
  return !(turned || eta > rule.clearWithin);
}

/** Forecast (time to threshold): the least-squares trend over `window` projected `within` ahead. */
export const forecastKind: KindEvaluator<ForecastRule, SubjectsState<TrendSubject>> = {
  initial: () => emptySubjects(),
  reading: (rule, state, source) => {
    const step = addToTrend(rule, state, source);
    if (step === undefined) return { state, transitions: [] };
    const { key, previous, samples, fit } = step;
    const { reading } = source;
    if (fit === undefined)
      return setSubject(rule, state, key, { ...previous, samples }, { time: reading.time });
    const firing = nextFiring(rule, previous.firing, fit);
    const since = firing ? (previous.firing ? previous.since : reading.time) : 0;
    const eta = timeToLimit(rule, fit);
    const details = {
      eta: Number.isFinite(eta) ? formatDuration(Math.max(eta, 1000)) : 'never',
      within: formatDuration(rule.within),
      window: formatDuration(rule.window),
    };
    return setSubject(
      rule,
      state,
      key,
      { firing, since, samples },
      { time: reading.time, cause: source, details },
    );
  },
  ...trendKindParts,
};
