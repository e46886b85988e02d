import { z } from 'zod';
import type { GatewayOfflineRule } from '../alert-rule.js';
import { formatDuration } from '../duration.js';
import type { KindEvaluator } from './kind.js';
import {
  emptySubjects,
  fireOverdue,
  SubjectBaseSchema,
  type SubjectsState,
  setSubject,
  subjectsStateAccess,
  subjectsStateSchema,
} from './subjects.js';

export interface GatewaySubject {
  firing: boolean;
  since: number;
  /** When the gateway went offline, while it is. */
  offlineSince?: number;
}

type State = SubjectsState<GatewaySubject>;

const StateSchema = subjectsStateSchema(SubjectBaseSchema.extend({ offlineSince: z.number().optional() }));

/**
 * Gateway offline: its retained status says `offline` (the Last Will) for `after`. The clock starts
 * at the status's own time when it has one, else at its arrival; an offline status delivered again
 * (retained, at every ingest start) keeps the clock it already has rather than restarting it.
 */
export const gatewayOfflineKind: KindEvaluator<GatewayOfflineRule, State> = {
  initial: () => emptySubjects(),
  reading: (_rule, state) => ({ state, transitions: [] }),
  status: (rule, state, { address, status, receivedAt }) => {
    if (address.station !== rule.station) return { state, transitions: [] };
    if (rule.gateway !== undefined && rule.gateway !== address.gateway) return { state, transitions: [] };
    const previous = state.subjects[address.gateway] ?? { firing: false, since: 0 };
    if (status.state === 'online') {
      const next = { firing: false, since: 0 };
      return setSubject(rule, state, address.gateway, next, { time: receivedAt, gateway: address.gateway });
    }
    const offlineSince = previous.offlineSince ?? status.time ?? receivedAt;
    return {
      state: { ...state, subjects: { ...state.subjects, [address.gateway]: { ...previous, offlineSince } } },
      transitions: [],
    };
  },
  tick: (rule, state, { now }) => {
    return fireOverdue(rule, state, (gateway, subject) => {
      const { offlineSince } = subject;
      if (offlineSince === undefined || now - offlineSince < rule.after) return undefined;
      const details = { silence: formatDuration(now - offlineSince) };
      return {
        next: { firing: true, since: offlineSince + rule.after, offlineSince },
        cause: { time: now, gateway, details },
      };
    });
  },
  ...subjectsStateAccess,
  restore: (_rule, json) => {
    const parsed = StateSchema.safeParse(json);
    if (!parsed.success) return undefined;
    const subjects: Record<string, GatewaySubject> = {};
    for (const [key, { offlineSince, ...rest }] of Object.entries(parsed.data.subjects)) {
      subjects[key] = offlineSince === undefined ? rest : { ...rest, offlineSince };
    }
    return { ...parsed.data, subjects };
  },
  seed: (_rule, event) =>
    event.gateway === undefined
      ? undefined
      : {
          firing: true,
          since: event.time,
          subjects: { [event.gateway]: { firing: true, since: event.time, offlineSince: event.time } },
        },
};
