import { z } from 'zod';
import type { RateRule } from '../alert-rule.js';
import { formatDuration, PER_MS } from '../duration.js';
import type { KindEvaluator } from './kind.js';
import { addSample, leastSquares, type Sample, span } from './least-squares.js';
import { clears, crosses, matchesTarget, sensorKey } from './match.js';
import {
  emptySubjects,
  SubjectBaseSchema,
  type SubjectsState,
  seedSensorSubject,
  setSubject,
  subjectsStateAccess,
  subjectsStateSchema,
} from './subjects.js';

export interface RateSubject {
  firing: boolean;
  since: number;
  samples: Sample[];
}

const StateSchema = subjectsStateSchema(
  SubjectBaseSchema.extend({ samples: z.array(z.tuple([z.number(), z.number()])) }),
);

function format(value: number): string {
  return String(Number(value.toPrecision(3)));
}

/**
 * Rate of change: the least-squares slope of a sensor's readings over `window`, in its unit per
 * `per` (ice growth in mm/h, spring stage rise in m/h). No slope until the readings span half the
 * window and number `minReadings`, so the first two readings after a start cannot page anyone.
 */
export const rateKind: KindEvaluator<RateRule, SubjectsState<RateSubject>> = {
  initial: () => emptySubjects(),
  reading: (rule, state, source) => {
    if (!matchesTarget(rule.station, rule, source)) return { state, transitions: [] };
    const { address, reading } = source;
    const key = sensorKey(address.gateway, reading.sensor);
    const previous = state.subjects[key] ?? { firing: false, since: 0, samples: [] };
    const samples = addSample(
      previous.samples,
      [reading.time, reading.value],
      rule.window,
      source.receivedAt,
    );
    if (samples === undefined) return { state, transitions: [] };
    const fit =
      samples.length >= rule.minReadings && span(samples) >= rule.window / 2
        ? leastSquares(samples)
        : undefined;
    let next: RateSubject = { ...previous, samples };
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
  status: (_rule, state) => ({ state, transitions: [] }),
  tick: (_rule, state) => ({ state, transitions: [] }),
  ...subjectsStateAccess,
  restore: (_rule, json) => {
    const parsed = StateSchema.safeParse(json);
    return parsed.success ? parsed.data : undefined;
  },
  seed: (_rule, event) => seedSensorSubject(event, (since) => ({ firing: true, since, samples: [] })),
};
