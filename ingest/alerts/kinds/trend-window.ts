import { z } from 'zod';
import type { LastAlertEvent } from '../alert-history.js';
import type { SourcedReading, Step } from './kind.js';
import { addSample, type Fit, leastSquares, type Sample, span } from './least-squares.js';
import { matchesTarget, sensorKey, type Target } from './match.js';
import {
  SubjectBaseSchema,
  type SubjectsState,
  seedSensorSubject,
  subjectsStateAccess,
  subjectsStateSchema,
} from './subjects.js';

/** A sensor watched through the trend of its readings over a window (rate, forecast). */
export interface TrendSubject {
  firing: boolean;
  since: number;
  samples: Sample[];
}

const TrendStateSchema = subjectsStateSchema(
  SubjectBaseSchema.extend({ samples: z.array(z.tuple([z.number(), z.number()])) }),
);

export interface TrendRule extends Target {
  station: string;
  window: number;
  minReadings: number;
}

export interface TrendStep {
  key: string;
  previous: TrendSubject;
  samples: Sample[];
  /** Undefined until the readings span half the window and number `minReadings`. */
  fit?: Fit;
}

/**
 * Pure: a reading taken into its sensor's window, and the least-squares fit once the window can be
 * judged, so the first readings after a start cannot page anyone. Undefined when the reading does
 * not count (another rule's, a replay, a sample far ahead of its arrival).
 */
export function addToTrend(
  rule: TrendRule,
  state: SubjectsState<TrendSubject>,
  source: SourcedReading,
): TrendStep | undefined {
  if (!matchesTarget(rule.station, rule, source)) return undefined;
  const { address, reading } = source;
  const key = sensorKey(address.gateway, reading.sensor);
  const previous = state.subjects[key] ?? { firing: false, since: 0, samples: [] };
  const samples = addSample(previous.samples, [reading.time, reading.value], rule.window, source.receivedAt);
  if (samples === undefined) return undefined;
  const judged = samples.length >= rule.minReadings && span(samples) >= rule.window / 2;
  const fit = judged ? leastSquares(samples) : undefined;
  return fit === undefined ? { key, previous, samples } : { key, previous, samples, fit };
}

type TrendState = SubjectsState<TrendSubject>;

/**
 * What rate and forecast do alike besides judging the fit: neither reacts to a status or the clock
 * (they change on readings only), both keep and restore their windows the same way.
 */
export const trendKindParts = {
  status: (_rule: unknown, state: TrendState): Step<TrendState> => ({ state, transitions: [] }),
  tick: (_rule: unknown, state: TrendState): Step<TrendState> => ({ state, transitions: [] }),
  ...subjectsStateAccess,
  restore: (_rule: unknown, json: unknown): TrendState | undefined => {
    const parsed = TrendStateSchema.safeParse(json);
    return parsed.success ? parsed.data : undefined;
  },
  seed: (_rule: unknown, event: LastAlertEvent): TrendState | undefined =>
    seedSensorSubject(event, (since) => ({ firing: true, since, samples: [] })),
};
