import { z } from 'zod';
import type { CompositeCondition, CompositeRule } from '../alert-rule.js';
import type { AlertTransition, KindEvaluator, SourcedReading, Step } from './kind.js';
import { clears, crosses, matchesTarget } from './match.js';

/** The latest reading of one input. */
export interface CompositeInput {
  gateway: string;
  sensor: string;
  quantity: string;
  unit: string;
  value: number;
  time: number;
}

export interface CompositeState {
  firing: boolean;
  since: number;
  /** By the condition's index in `all`; null until the input is first heard. */
  inputs: (CompositeInput | null)[];
  /** Sample time since when every input holds, while the `for` runs. */
  pendingSince?: number;
}

const StateSchema = z.object({
  firing: z.boolean(),
  since: z.number(),
  inputs: z.array(
    z
      .object({
        gateway: z.string(),
        sensor: z.string(),
        quantity: z.string(),
        unit: z.string(),
        value: z.number(),
        time: z.number(),
      })
      .nullable(),
  ),
  pendingSince: z.number().optional(),
});

function fresh(rule: CompositeRule, input: CompositeInput | null, at: number): input is CompositeInput {
  return input !== null && at - input.time <= rule.staleAfter;
}

/** Every input heard recently and past its threshold. An unknown (stale or unheard) input does not hold. */
function holds(rule: CompositeRule, inputs: readonly (CompositeInput | null)[], at: number): boolean {
  return rule.all.every((condition, i) => {
    const input = inputs[i] ?? null;
    return fresh(rule, input, at) && crosses(condition.op, condition.threshold, input.value);
  });
}

/**
 * Whether a firing composite clears: on evidence only, an input heard past its clearAt. An input that
 * fell silent leaves it firing (the deadman rule of that sensor says so), so a flaky radio does not
 * make icing weather come and go.
 */
function cleared(rule: CompositeRule, inputs: readonly (CompositeInput | null)[], at: number): boolean {
  return rule.all.some((condition: CompositeCondition, i) => {
    const input = inputs[i] ?? null;
    return fresh(rule, input, at) && clears(condition.op, condition.clearAt, input.value);
  });
}

function describeInputs(inputs: readonly (CompositeInput | null)[]): string {
  return inputs
    .map((input) =>
      input === null ? 'unknown' : `${input.quantity} ${Number(input.value.toPrecision(6))} ${input.unit}`,
    )
    .join(', ');
}

function advance(
  rule: CompositeRule,
  state: CompositeState,
  at: number,
  cause: Partial<AlertTransition>,
): Step<CompositeState> {
  const details = { inputs: describeInputs(state.inputs) };
  if (state.firing) {
    if (!cleared(rule, state.inputs, at)) return { state, transitions: [] };
    const next: CompositeState = { firing: false, since: 0, inputs: state.inputs };
    return {
      state: next,
      transitions: [{ rule, state: 'clear', since: state.since, time: at, details, ...cause }],
    };
  }
  if (!holds(rule, state.inputs, at)) {
    return { state: { firing: false, since: 0, inputs: state.inputs }, transitions: [] };
  }
  // Like the threshold kind, `for` runs on sample time; the tick completes it between readings.
  const pendingSince = state.pendingSince ?? at;
  if (at - pendingSince < rule.for) return { state: { ...state, pendingSince }, transitions: [] };
  const since = pendingSince + rule.for;
  const next: CompositeState = { firing: true, since, inputs: state.inputs };
  return { state: next, transitions: [{ rule, state: 'firing', since, time: at, details, ...cause }] };
}

function absorb(
  rule: CompositeRule,
  state: CompositeState,
  source: SourcedReading,
): CompositeState | undefined {
  let inputs: (CompositeInput | null)[] | undefined;
  rule.all.forEach((condition, i) => {
    if (!matchesTarget(rule.station, condition, source)) return;
    const previous = state.inputs[i] ?? null;
    if (previous !== null && previous.time >= source.reading.time) return;
    const { reading, address } = source;
    inputs ??= [...state.inputs];
    inputs[i] = {
      gateway: address.gateway,
      sensor: reading.sensor,
      quantity: reading.quantity,
      unit: reading.unit,
      value: reading.value,
      time: reading.time,
    };
  });
  return inputs === undefined ? undefined : { ...state, inputs };
}

/** Composite: every condition of `all` holds at once on the station's latest readings, for `for`. */
export const compositeKind: KindEvaluator<CompositeRule, CompositeState> = {
  initial: (rule) => ({ firing: false, since: 0, inputs: rule.all.map(() => null) }),
  reading: (rule, state, source) => {
    const next = absorb(rule, state, source);
    if (next === undefined) return { state, transitions: [] };
    return advance(rule, next, source.reading.time, { cause: source });
  },
  status: (_rule, state) => ({ state, transitions: [] }),
  // Only a pending `for` needs the clock; freshness is judged against the clock, so readings that
  // stopped (or arrive hours late) cannot complete it.
  tick: (rule, state, { now }) => {
    if (state.firing || state.pendingSince === undefined || now < state.pendingSince + rule.for) {
      return { state, transitions: [] };
    }
    if (!holds(rule, state.inputs, now)) return { state, transitions: [] };
    return advance(rule, state, now, {});
  },
  firing: (state) => state.firing,
  since: (state) => state.since,
  toJson: (state) => state,
  restore: (rule, json) => {
    const parsed = StateSchema.safeParse(json);
    if (!parsed.success || parsed.data.inputs.length !== rule.all.length) return undefined;
    const { pendingSince, ...rest } = parsed.data;
    return pendingSince === undefined ? rest : { ...rest, pendingSince };
  },
  seed: (rule, event) => ({ firing: true, since: event.time, inputs: rule.all.map(() => null) }),
};
