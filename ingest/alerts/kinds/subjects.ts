import { z } from 'zod';
import type { AlertRule } from '../alert-rule.js';
import type { AlertTransition, Step } from './kind.js';

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
