import { z } from 'zod';
import type { LastAlertEvent } from '../alert-history.js';
import type { AlertRule } from '../alert-rule.js';
import type { AlertTransition, Step } from './kind.js';
import { sensorKey } from './match.js';

/** One thing a rule watches on its own: a sensor (gateway/sensor) or a gateway. */
export interface Subject {
  firing: boolean;
  since: number;
}

/**
 * A rule over several subjects fires while any of them fires: once when the first starts, once
 * when the last stops (the threshold kind's behaviour, shared by rate, deadman, gateway-offline and
 * forecast).
 */
export interface SubjectsState<S extends Subject> {
  firing: boolean;
  since: number;
  subjects: Readonly<Record<string, S>>;
}

export function emptySubjects<S extends Subject>(): SubjectsState<S> {
  return { firing: false, since: 0, subjects: {} };
}

export const SubjectBaseSchema = z.object({ firing: z.boolean(), since: z.number() });

export function subjectsStateSchema<T extends z.ZodType<Subject>>(subject: T) {
  return z.object({ firing: z.boolean(), since: z.number(), subjects: z.record(z.string(), subject) });
}

type Cause = Omit<AlertTransition, 'rule' | 'state' | 'since'>;

/** Sets one subject and derives the rule's transition, if any. */
export function setSubject<S extends Subject>(
  rule: AlertRule,
  state: SubjectsState<S>,
  key: string,
  next: S,
  cause: Cause,
): Step<SubjectsState<S>> {
  const subjects = { ...state.subjects, [key]: next };
  let since = Number.POSITIVE_INFINITY;
  for (const subject of Object.values(subjects)) if (subject.firing) since = Math.min(since, subject.since);
  const firing = Number.isFinite(since);
  const nextState = { firing, since: firing ? since : 0, subjects };
  if (firing === state.firing) return { state: nextState, transitions: [] };
  const transition: AlertTransition = firing
    ? { rule, state: 'firing', since, ...cause }
    : { rule, state: 'clear', since: state.since, ...cause };
  return { state: nextState, transitions: [transition] };
}

/** `gateway/sensor` back into its parts. */
export function splitKey(key: string): { gateway: string; sensor: string } {
  const slash = key.indexOf('/');
  return { gateway: key.slice(0, slash), sensor: key.slice(slash + 1) };
}

/** What every kind over subjects reads of its state the same way (spread into its evaluator). */
export const subjectsStateAccess = {
  firing: (state: SubjectsState<Subject>): boolean => state.firing,
  since: (state: SubjectsState<Subject>): number => state.since,
  toJson: (state: SubjectsState<Subject>): unknown => state,
};

/**
 * The state a restart rebuilds from a rule's last `firing` event about one sensor: that sensor
 * firing since the event. Undefined for an event that names no sensor.
 */
export function seedSensorSubject<S extends Subject>(
  event: LastAlertEvent,
  subject: (since: number) => S,
): SubjectsState<S> | undefined {
  if (event.gateway === undefined || event.sensor === undefined) return undefined;
  return {
    firing: true,
    since: event.time,
    subjects: { [sensorKey(event.gateway, event.sensor)]: subject(event.time) },
  };
}

/**
 * The clock-driven check of deadman and gateway-offline: each quiet subject that `overdue` finds
 * past its deadline starts firing, one transition for the rule as a whole.
 */
export function fireOverdue<S extends Subject>(
  rule: AlertRule,
  state: SubjectsState<S>,
  overdue: (key: string, subject: S) => { next: S; cause: Cause } | undefined,
): Step<SubjectsState<S>> {
  let step: Step<SubjectsState<S>> = { state, transitions: [] };
  for (const [key, subject] of Object.entries(state.subjects)) {
    if (subject.firing) continue;
    const fired = overdue(key, subject);
    if (fired === undefined) continue;
    const result = setSubject(rule, step.state, key, fired.next, fired.cause);
    step = { state: result.state, transitions: [...step.transitions, ...result.transitions] };
  }
  return step;
}
