import type { RateRule } from '../alert-rule.js';
import { formatDuration, PER_MS } from '../duration.js';
import type { KindEvaluator } from './kind.js';
import { clears, crosses } from './match.js';
import { emptySubjects, type SubjectsState, setSubject } from './subjects.js';
import { addToTrend, type TrendSubject, trendKindParts } from './trend-window.js';

function format(value: number): string {
  return String(Number(value.toPrecision(3)));
}

/**
 * Rate of change: the least-squares slope of a sensor's readings over `window`, in its unit per
 * `per` (ice growth in mm/h, spring stage rise in m/h). No slope until the readings span half the
 * window and number `minReadings`, so the first two readings after a start cannot page anyone.
 */
export const rateKind: KindEvaluator<RateRule, SubjectsState<TrendSubject>> = {
  initial: () => emptySubjects(),
  reading: (rule, state, source) => {
    const step = addToTrend(rule, state, source);
    if (step === undefined) return { state, transitions: [] };
    const { key, previous, samples, fit } = step;
    const { reading } = source;
    let next: TrendSubject = { ...previous, samples };
    if (fit !== undefined) {
      const rate = fit.slope * PER_MS[rule.per];
      if (!previous.firing && crosses(rule.op, rule.threshold, rate))
        next = { firing: true, since: reading.time, samples };
      else if (previous.firing && clears(rule.op, rule.clearAt, rate))
        next = { firing: false, since: 0, samples };
      const details = { rate: format(rate), per: rule.per, window: formatDuration(rule.window) };
      return setSubject(rule, state, key, next, { time: reading.time, cause: source, value: rate, details });
    }
    return setSubject(rule, state, key, next, { time: reading.time, cause: source });
  },
  ...trendKindParts,
};
