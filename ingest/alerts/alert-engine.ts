import type { GatewayAddress, Reading } from '../../protocol/index.js';
import type { AlertRule } from './alert-rule.js';
import { type AlertTransition, evaluateRule, INITIAL_RULE_STATE, type RuleState } from './evaluate-rule.js';

/**
 * Holds every rule's state and runs the pure evaluator over stored readings. No I/O: publishing the
 * transitions is the AlertPublisher's job.
 */
export class AlertEngine {
  private readonly byStation = new Map<string, AlertRule[]>();
  private readonly states = new Map<AlertRule, RuleState>();

  /** `initial` carries states over a restart (see seedRuleStates); other rules start quiet. */
  constructor(
    readonly rules: readonly AlertRule[],
    initial: ReadonlyMap<AlertRule, RuleState> = new Map(),
  ) {
    for (const [rule, state] of initial) if (rules.includes(rule)) this.states.set(rule, state);
    for (const rule of rules) {
      const list = this.byStation.get(rule.station) ?? [];
      list.push(rule);
      this.byStation.set(rule.station, list);
    }
  }

  /** Transitions caused by a batch, in reading order. */
  evaluate(address: GatewayAddress, readings: readonly Reading[]): AlertTransition[] {
    const rules = this.byStation.get(address.station) ?? [];
    const transitions: AlertTransition[] = [];
    for (const reading of readings) {
      for (const rule of rules) {
        const result = evaluateRule(rule, this.states.get(rule) ?? INITIAL_RULE_STATE, { address, reading });
        this.states.set(rule, result.state);
        if (result.transition) transitions.push(result.transition);
      }
    }
    return transitions;
  }

  /** Rules currently firing. */
  firing(): AlertRule[] {
    return this.rules.filter((rule) => this.states.get(rule)?.firing === true);
  }
}
