import { z } from 'zod';
import { ReadingSchema } from '../../../protocol/index.js';
import type { ThresholdRule } from '../alert-rule.js';
import {
  evaluateRule,
  INITIAL_RULE_STATE,
  type RuleEvaluation,
  type RuleState,
  tickRule,
} from '../evaluate-rule.js';
import type { KindEvaluator, Step } from './kind.js';
import { sensorKey } from './match.js';

const SensorJsonSchema = z.object({
  firing: z.boolean(),
  since: z.number(),
  lastTime: z.number(),
  pending: z.object({ since: z.number(), reading: ReadingSchema }).optional(),
});

const StateJsonSchema = z.object({
  firing: z.boolean(),
  since: z.number(),
  sensors: z.array(z.tuple([z.string(), SensorJsonSchema])),
});

/** evaluate-rule.ts's results (one per sensor that changed) as one step. */
function step(results: readonly RuleEvaluation[], state: RuleState): Step<RuleState> {
  const last = results[results.length - 1];
  return {
    state: last?.state ?? state,
    transitions: results.flatMap((result) => (result.transition ? [result.transition] : [])),
  };
}

/** The original kind: a value past a threshold, now with an optional `for` (evaluate-rule.ts). */
export const thresholdKind: KindEvaluator<ThresholdRule, RuleState> = {
  initial: () => INITIAL_RULE_STATE,
  reading: (rule, state, source) => step([evaluateRule(rule, state, source)], state),
  status: (_rule, state) => ({ state, transitions: [] }),
  tick: (rule, state, { now }) =>
    rule.for > 0 ? step(tickRule(rule, state, now), state) : { state, transitions: [] },
  firing: (state) => state.firing,
  since: (state) => state.since,
  toJson: (state) => ({ firing: state.firing, since: state.since, sensors: [...state.sensors] }),
  restore: (_rule, json) => {
    const parsed = StateJsonSchema.safeParse(json);
    if (!parsed.success) return undefined;
    const sensors = new Map(
      parsed.data.sensors.map(([key, { pending, ...sensor }]) => [
        key,
        pending ? { ...sensor, pending } : sensor,
      ]),
    );
    return { firing: parsed.data.firing, since: parsed.data.since, sensors };
  },
  // A rule whose last event is `firing` starts firing for that event's sensor, so the sensor's next
  // reading back in range sends the one `clear`, and a reading still out of range fires nothing new.
  seed: (rule, event) => {
    if (event.sensor === undefined || event.gateway === undefined) return undefined;
    if (rule.sensor !== undefined && rule.sensor !== event.sensor) return undefined;
    const sensor = { firing: true, since: event.time, lastTime: event.time };
    return {
      firing: true,
      since: event.time,
      sensors: new Map([[sensorKey(event.gateway, event.sensor), sensor]]),
    };
  },
};
