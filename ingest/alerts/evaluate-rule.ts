import type { Reading } from '../../protocol/index.js';
import type { ThresholdRule } from './alert-rule.js';
import type { AlertTransition, SourcedReading } from './kinds/kind.js';
import { clears, crosses, matchesTarget, sensorKey } from './kinds/match.js';
import { splitKey } from './kinds/subjects.js';

export type { AlertTransition, SourcedReading } from './kinds/kind.js';
export { sensorKey } from './kinds/match.js';

export interface SensorAlertState {
  firing: boolean;
  /** When this sensor started firing. */
  since: number;
  /** Sample time of the last reading evaluated: older ones (replays) are ignored. */
  lastTime: number;
  /**
   * A `for` rule whose condition holds but has not held long enough: since when (sample time) and
   * the latest reading that holds it, which the tick names should it complete the duration.
   */
  pending?: { since: number; reading: Reading };
}

/** A rule's state: firing while any of its matched sensors is firing. Immutable. */
export interface RuleState {
  firing: boolean;
  since: number;
  sensors: ReadonlyMap<string, SensorAlertState>;
}

export const INITIAL_RULE_STATE: RuleState = Object.freeze({ firing: false, since: 0, sensors: new Map() });

export interface RuleEvaluation {
  state: RuleState;
  transition?: AlertTransition;
}

export function matchesRule(rule: ThresholdRule, source: SourcedReading): boolean {
  return matchesTarget(rule.station, rule, source);
}

/**
 * The `for` clock runs on sample time: readings replayed from a gateway's outbox after an outage
 * carry the times the physics happened at, so "above 5,000 ppm for 5 minutes" means five minutes of
 * the cave, not of our network. A duration reached between readings is completed by the tick
 * (tickRule), which compares the clock with sample times.
 */
function nextSensorState(
  rule: ThresholdRule,
  previous: SensorAlertState | undefined,
  reading: Reading,
): SensorAlertState {
  const { value, time } = reading;
  if (previous?.firing) {
    return clears(rule.op, rule.clearAt, value)
      ? { firing: false, since: 0, lastTime: time }
      : { firing: true, since: previous.since, lastTime: time };
  }
  if (!crosses(rule.op, rule.threshold, value)) return { firing: false, since: 0, lastTime: time };
  const pendingSince = previous?.pending?.since ?? time;
  // The episode begins when the condition has held for `for`, whichever reading or tick sees it.
  if (time - pendingSince >= rule.for)
    return { firing: true, since: pendingSince + rule.for, lastTime: time };
  return { firing: false, since: 0, lastTime: time, pending: { since: pendingSince, reading } };
}

function earliestFiring(sensors: ReadonlyMap<string, SensorAlertState>): number {
  let since = Number.POSITIVE_INFINITY;
  for (const sensor of sensors.values()) if (sensor.firing) since = Math.min(since, sensor.since);
  return since;
}

function withSensor(
  rule: ThresholdRule,
  state: RuleState,
  key: string,
  next: SensorAlertState,
  cause: SourcedReading,
  time: number,
): RuleEvaluation {
  const sensors = new Map(state.sensors).set(key, next);
  const since = earliestFiring(sensors);
  const firing = Number.isFinite(since);
  if (firing === state.firing) return { state: { firing, since: firing ? since : 0, sensors } };
  const transition: AlertTransition = firing
    ? { rule, state: 'firing', since, time, cause }
    : { rule, state: 'clear', since: state.since, time, cause };
  return { state: { firing, since: firing ? since : 0, sensors }, transition };
}

/**
 * Pure: the rule's next state after one reading, and the transition when the rule as a whole starts
 * or stops firing. A rule fires once on crossing (after `for`), stays quiet while firing, and clears once.
 */
export function evaluateRule(rule: ThresholdRule, state: RuleState, source: SourcedReading): RuleEvaluation {
  if (!matchesRule(rule, source)) return { state };
  const key = sensorKey(source.address.gateway, source.reading.sensor);
  const previous = state.sensors.get(key);
  if (previous !== undefined && source.reading.time <= previous.lastTime) return { state };
  return withSensor(
    rule,
    state,
    key,
    nextSensorState(rule, previous, source.reading),
    source,
    source.reading.time,
  );
}

/**
 * Pure: completes `for` durations that elapsed with no new reading. Only while the sensor's latest
 * reading is fresh (within `staleAfter` of `now`): a sensor that fell silent says nothing about the
 * condition, and readings replayed late complete their duration themselves, on sample time.
 */
export function tickRule(rule: ThresholdRule, state: RuleState, now: number): RuleEvaluation[] {
  const results: RuleEvaluation[] = [];
  let current = state;
  for (const [key, sensor] of state.sensors) {
    const pending = sensor.pending;
    if (sensor.firing || pending === undefined) continue;
    if (now < pending.since + rule.for || now - sensor.lastTime > rule.staleAfter) continue;
    const next: SensorAlertState = {
      firing: true,
      since: pending.since + rule.for,
      lastTime: sensor.lastTime,
    };
    const cause = {
      address: { station: rule.station, gateway: splitKey(key).gateway },
      reading: pending.reading,
    };
    const result = withSensor(rule, current, key, next, cause, now);
    current = result.state;
    results.push(result);
  }
  return results.length === 0 ? [{ state }] : results;
}
