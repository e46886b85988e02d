import { AlertEngine } from './alert-engine.js';
import type { LastAlertEvent } from './alert-history.js';
import type { AlertRule } from './alert-rule.js';
import type { AlertStateSnapshot } from './alert-state-snapshot.js';
import { evaluatorOf } from './kinds/index.js';
import { seedRuleStates } from './seed-rule-states.js';

export interface RestoredEngine {
  engine: AlertEngine;
  /** Rules that took their state from the snapshot. */
  restored: AlertRule[];
  /** Rules seeded from InfluxDB (no usable snapshot state, or one that disagreed with InfluxDB). */
  seeded: AlertRule[];
  /** Firing events no configured rule can clear any more. */
  orphaned: LastAlertEvent[];
}

/**
 * Pure: the engine as the previous run left it. The snapshot holds everything (pending `for`,
 * deadman and offline clocks, windows); `alert_event` holds only which rules fired, but it is what
 * the retained MQTT messages say. So the snapshot wins where it has the rule, unless it disagrees with
 * InfluxDB about firing (a crash between a publish and the next snapshot): then the InfluxDB seed
 * wins, because a rule announced as firing must be able to send its `clear`, and a rule announced as
 * clear must not stay firing unannounced.
 */
export function restoreEngine(
  rules: readonly AlertRule[],
  snapshot: AlertStateSnapshot | undefined,
  events: readonly LastAlertEvent[],
): RestoredEngine {
  const engine = new AlertEngine(rules);
  // Sets, not arrays searched per rule: a start with 20,000 rules took over a minute.
  const restored = new Set(snapshot === undefined ? [] : engine.restore(snapshot));
  const { states, orphaned } = seedRuleStates(rules, events);
  const firing = new Set(engine.firing());
  const seeded = new Set<AlertRule>();
  for (const rule of rules) {
    const seed = states.get(rule);
    const fromSnapshot = restored.has(rule);
    if (fromSnapshot && firing.has(rule) === (seed !== undefined)) continue;
    if (seed === undefined && !fromSnapshot) continue;
    engine.setState(rule, seed ?? evaluatorOf(rule).initial(rule));
    seeded.add(rule);
  }
  return {
    engine,
    restored: [...restored].filter((rule) => !seeded.has(rule)),
    seeded: [...seeded],
    orphaned,
  };
}
