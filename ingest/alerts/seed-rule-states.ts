import type { LastAlertEvent } from './alert-history.js';
import type { AlertRule } from './alert-rule.js';
import { evaluatorOf } from './kinds/index.js';

export interface SeededRuleStates {
  /** Rules whose retained message still says `firing`, in the state the engine would have left them. */
  states: Map<AlertRule, unknown>;
  /** Firing events no configured rule can clear any more: the rule is gone, or no longer matches the sensor. */
  orphaned: LastAlertEvent[];
}

/**
 * Pure: rule states as they stood before a restart, from each (station, rule)'s last `alert_event`,
 * when no state snapshot says more. Only `firing` can be recovered this way: a firing rule starts
 * firing for that event's sensor or gateway, so the next sign of recovery sends the one `clear`.
 */
export function seedRuleStates(
  rules: readonly AlertRule[],
  events: readonly LastAlertEvent[],
): SeededRuleStates {
  const states = new Map<AlertRule, unknown>();
  const orphaned: LastAlertEvent[] = [];
  const byKey = new Map(rules.map((rule) => [`${rule.station}/${rule.id}`, rule]));
  for (const event of events) {
    if (event.state !== 'firing') continue;
    const rule = byKey.get(`${event.station}/${event.rule}`);
    const state = rule === undefined ? undefined : evaluatorOf(rule).seed(rule, event);
    if (rule === undefined || state === undefined) {
      orphaned.push(event);
      continue;
    }
    states.set(rule, state);
  }
  return { states, orphaned };
}
