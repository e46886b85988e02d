import type { AlertState, GatewayAddress, Reading, Status } from '../../../protocol/index.js';
import type { LastAlertEvent } from '../alert-history.js';
import type { AlertRule } from '../alert-rule.js';

/** A reading together with where it came from. */
export interface SourcedReading {
  address: GatewayAddress;
  reading: Reading;
  /** Arrival time (the ingest's clock), where known: windows are not anchored on future readings. */
  receivedAt?: number;
}

/** A gateway's retained status as the ingest received it. */
export interface StatusUpdate {
  address: GatewayAddress;
  status: Status;
  /** Arrival time (the ingest's clock): an offline Last Will carries no time of its own. */
  receivedAt: number;
}

/** A rule going from clear to firing or back. */
export interface AlertTransition<R extends AlertRule = AlertRule> {
  rule: R;
  state: AlertState;
  /** When the episode began: on firing, the moment the condition was met (for a `for`, once it had held). */
  since: number;
  /** Sample time of the reading, or clock time of the tick or status, that changed the state. */
  time: number;
  /** The reading that changed the state, or that the condition rests on (a `for` completed by the tick). */
  cause?: SourcedReading;
  /** The gateway concerned where no reading is (gateway-offline). */
  gateway?: string;
  /** The kind's own figure (a rate, a forecast value) in place of the reading's value. */
  value?: number;
  /** Placeholder values particular to the kind ({rate}, {eta}, {silence}, {inputs}). */
  details?: Readonly<Record<string, string>>;
  /** A fixed text in place of the rule's template (a clear because the rule was removed or changed). */
  text?: string;
}

export interface Step<S> {
  state: S;
  transitions: AlertTransition[];
}

/** What the clock-driven checks may assume. */
export interface TickContext {
  now: number;
  /**
   * Whether the messages the broker queued while the ingest was away have been taken. Silence-based
   * checks (deadman) wait for it: a sensor whose readings are still in the broker's queue is not silent.
   */
  caughtUp: boolean;
}

/**
 * One rule kind: pure functions from (rule, state, input) to the next state and the transitions.
 * States are plain JSON values, so the engine can snapshot them to disk and read them back.
 * Method syntax on purpose: the dispatcher holds every kind under one type.
 */
export interface KindEvaluator<R extends AlertRule, S> {
  initial(rule: R): S;
  reading(rule: R, state: S, source: SourcedReading): Step<S>;
  status(rule: R, state: S, update: StatusUpdate): Step<S>;
  tick(rule: R, state: S, context: TickContext): Step<S>;
  firing(state: S): boolean;
  /** When the current episode began (meaningful while firing). */
  since(state: S): number;
  /** A snapshot's state back into this kind's state; undefined when it does not fit. */
  restore(rule: R, json: unknown): S | undefined;
  toJson(state: S): unknown;
  /** State after a restart from the rule's last `alert_event` when there is no snapshot. */
  seed(rule: R, event: LastAlertEvent): S | undefined;
}

export function unchanged<S>(state: S): Step<S> {
  return { state, transitions: [] };
}
