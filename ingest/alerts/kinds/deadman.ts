import { z } from 'zod';
import type { DeadmanRule } from '../alert-rule.js';
import { formatDuration } from '../duration.js';
import type { KindEvaluator } from './kind.js';
import { matchesTarget, sensorKey } from './match.js';
import {
  emptySubjects,
  fireOverdue,
  SubjectBaseSchema,
  type SubjectsState,
  seedSensorSubject,
  setSubject,
  splitKey,
  subjectsStateAccess,
  subjectsStateSchema,
} from './subjects.js';

export interface DeadmanSubject {
  firing: boolean;
  since: number;
  /** Sample time of the newest reading, or arrival of the announcement of a sensor never heard. */
  lastTime: number;
  /** The gateway's announced sampling interval, when it announced one. */
  intervalMs?: number;
}

type State = SubjectsState<DeadmanSubject>;

const StateSchema = subjectsStateSchema(
  SubjectBaseSchema.extend({ lastTime: z.number(), intervalMs: z.number().optional() }),
);

/** How long this sensor may be silent: the rule's `after`, else `missed` announced intervals. */
function allowedSilence(rule: DeadmanRule, subject: DeadmanSubject): number | undefined {
  if (rule.after !== undefined) return rule.after;
  return subject.intervalMs === undefined ? undefined : rule.missed * subject.intervalMs;
}

function matchesSensor(rule: DeadmanRule, sensor: string, quantity: string): boolean {
  return rule.sensor !== undefined ? rule.sensor === sensor : rule.quantity === quantity;
}

/**
 * Deadman: a sensor (by id, or every sensor of a quantity) silent for `after` or `missed` × its
 * announced interval. Silence is measured from the newest reading's sample time to the clock, so
 * readings the gateway's outbox delivers late still count as signs of life; it clears on any reading.
 */
export const deadmanKind: KindEvaluator<DeadmanRule, State> = {
  initial: () => emptySubjects(),
  reading: (rule, state, source) => {
    if (!matchesTarget(rule.station, rule, source)) return { state, transitions: [] };
    const { address, reading } = source;
    const key = sensorKey(address.gateway, reading.sensor);
    const previous = state.subjects[key];
    const lastTime = Math.max(previous?.lastTime ?? 0, reading.time);
    const next: DeadmanSubject = { ...previous, firing: false, since: 0, lastTime };
    return setSubject(rule, state, key, next, { time: reading.time, cause: source });
  },
  // A sensor announced but never heard is watched from its announcement, and its interval kept.
  status: (rule, state, { address, status, receivedAt }) => {
    if (address.station !== rule.station) return { state, transitions: [] };
    const subjects = { ...state.subjects };
    for (const sensor of status.sensors ?? []) {
      if (!matchesSensor(rule, sensor.sensor, sensor.quantity)) continue;
      const key = sensorKey(address.gateway, sensor.sensor);
      const previous = subjects[key] ?? { firing: false, since: 0, lastTime: receivedAt };
      subjects[key] =
        sensor.intervalMs === undefined ? previous : { ...previous, intervalMs: sensor.intervalMs };
    }
    return { state: { ...state, subjects }, transitions: [] };
  },
  tick: (rule, state, { now, caughtUp }) => {
    // Before the broker's queue is drained, a sensor whose readings are still queued looks silent.
    if (!caughtUp) return { state, transitions: [] };
    return fireOverdue(rule, state, (key, subject) => {
      const allowed = allowedSilence(rule, subject);
      if (allowed === undefined || now - subject.lastTime < allowed) return undefined;
      const { gateway, sensor } = splitKey(key);
      const details = { silence: formatDuration(now - subject.lastTime), sensor };
      return {
        next: { ...subject, firing: true, since: subject.lastTime + allowed },
        cause: { time: now, gateway, details },
      };
    });
  },
  ...subjectsStateAccess,
  restore: (_rule, json) => {
    const parsed = StateSchema.safeParse(json);
    if (!parsed.success) return undefined;
    const subjects: Record<string, DeadmanSubject> = {};
    for (const [key, { intervalMs, ...rest }] of Object.entries(parsed.data.subjects)) {
      subjects[key] = intervalMs === undefined ? rest : { ...rest, intervalMs };
    }
    return { ...parsed.data, subjects };
  },
  seed: (_rule, event) => seedSensorSubject(event, (since) => ({ firing: true, since, lastTime: since })),
};
