import type { LastAlertEvent } from './alert-history.js';
import type { AlertRule } from './alert-rule.js';
import { type RuleState, sensorKey } from './evaluate-rule.js';

export interface SeededRuleStates {
  /** Rules whose retained message still says `firing`, in the state the engine would have left them. */
  states: Map<AlertRule, RuleState>;
  /** Firing events no configured rule can clear any more: the rule is gone, or no longer matches the sensor. */
  orphaned: LastAlertEvent[];
}

/**
 * Pure: rule states as they stood before a restart, from each (station, rule)'s last `alert_event`.
 * A rule whose last event is `firing` starts firing for that event's sensor, so the sensor's next
 * reading back in range sends the one `clear`, and a reading still out of range fires nothing new.
 */
export function seedRuleStates(
  rules: readonly AlertRule[],
  events: readonly LastAlertEvent[],
): SeededRuleStates {
  const states = new Map<AlertRule, RuleState>();
  const orphaned: LastAlertEvent[] = [];
  for (const event of events) {
    if (event.state !== 'firing') continue;
    const rule = rules.find((r) => r.station === event.station && r.id === event.rule);
    if (rule === undefined || (rule.sensor !== undefined && rule.sensor !== event.sensor)) {
      orphaned.push(event);
      continue;
    }
    const sensor = { firing: true, since: event.time, lastTime: event.time };
    states.set(rule, {
      firing: true,
      since: event.time,
      sensors: new Map([[sensorKey(event.gateway, event.sensor), sensor]]),
    });
  }
  return { states, orphaned };
}
