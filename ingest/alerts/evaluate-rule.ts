import { type AlertState, type GatewayAddress, QcFlag, type Reading } from '../../protocol/index.js';
import type { AlertRule } from './alert-rule.js';

/** A reading together with where it came from. */
export interface SourcedReading {
  address: GatewayAddress;
  reading: Reading;
}

export interface SensorAlertState {
  firing: boolean;
  /** When this sensor started firing. */
  since: number;
  /** Sample time of the last reading evaluated: older ones (replays) are ignored. */
  lastTime: number;
}

/** A rule's state: firing while any of its matched sensors is firing. Immutable. */
export interface RuleState {
  firing: boolean;
  since: number;
  sensors: ReadonlyMap<string, SensorAlertState>;
}

export const INITIAL_RULE_STATE: RuleState = Object.freeze({ firing: false, since: 0, sensors: new Map() });

export interface AlertTransition {
  rule: AlertRule;
  state: AlertState;
  /** When the episode began (equal to the reading's time when it starts firing). */
  since: number;
  /** The reading that changed the rule's state. */
  cause: SourcedReading;
}

export interface RuleEvaluation {
  state: RuleState;
  transition?: AlertTransition;
}

// QARTOD fail and missing values are not measurements; alerting on them would page people for faults.
const IGNORED_QC: ReadonlySet<number> = new Set([QcFlag.fail, QcFlag.missing]);

export function matchesRule(rule: AlertRule, { address, reading }: SourcedReading): boolean {
  if (rule.station !== address.station || IGNORED_QC.has(reading.qc)) return false;
  if (rule.unit !== undefined && rule.unit !== reading.unit) return false;
  return rule.sensor !== undefined ? rule.sensor === reading.sensor : rule.quantity === reading.quantity;
}

/** How a rule state names one sensor: sensor ids are unique only within their gateway. */
export function sensorKey(gateway: string, sensor: string): string {
  return `${gateway}/${sensor}`;
}

function crosses(rule: AlertRule, value: number): boolean {
  return rule.op === 'above' ? value > rule.threshold : value < rule.threshold;
}

function clears(rule: AlertRule, value: number): boolean {
  return rule.op === 'above' ? value < rule.clearAt : value > rule.clearAt;
}

function nextSensorState(
  rule: AlertRule,
  previous: SensorAlertState | undefined,
  reading: Reading,
): SensorAlertState {
  const { value, time } = reading;
  if (previous?.firing)
    return clears(rule, value)
      ? { firing: false, since: 0, lastTime: time }
      : { ...previous, lastTime: time };
  return crosses(rule, value)
    ? { firing: true, since: time, lastTime: time }
    : { firing: false, since: 0, lastTime: time };
}

function earliestFiring(sensors: ReadonlyMap<string, SensorAlertState>): number {
  let since = Number.POSITIVE_INFINITY;
  for (const sensor of sensors.values()) if (sensor.firing) since = Math.min(since, sensor.since);
  return since;
}

/**
 * Pure: the rule's next state after one reading, and the transition when the rule as a whole starts
 * or stops firing. A rule fires once on crossing, stays quiet while firing, and clears once.
 */
export function evaluateRule(rule: AlertRule, state: RuleState, source: SourcedReading): RuleEvaluation {
  if (!matchesRule(rule, source)) return { state };
  const key = sensorKey(source.address.gateway, source.reading.sensor);
  const previous = state.sensors.get(key);
  if (previous !== undefined && source.reading.time <= previous.lastTime) return { state };
  const sensors = new Map(state.sensors).set(key, nextSensorState(rule, previous, source.reading));
  const since = earliestFiring(sensors);
  const firing = Number.isFinite(since);
  if (firing === state.firing) return { state: { firing, since: firing ? since : 0, sensors } };
  const transition: AlertTransition = firing
    ? { rule, state: 'firing', since, cause: source }
    : { rule, state: 'clear', since: state.since, cause: source };
  return { state: { firing, since: firing ? since : 0, sensors }, transition };
}
