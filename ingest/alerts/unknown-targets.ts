import type { SensorDescription } from '../../protocol/index.js';
import type { AlertRule } from './alert-rule.js';

/** A sensor or quantity a rule names that no gateway of its station announced. */
export interface UnknownTarget {
  rule: AlertRule;
  sensor?: string;
  quantity?: string;
}

function targetsOf(rule: AlertRule): { sensor?: string | undefined; quantity?: string | undefined }[] {
  switch (rule.kind) {
    case 'composite':
      return rule.all;
    case 'gateway-offline':
      return [];
    default:
      return [rule];
  }
}

/**
 * Pure: targets of a station's rules that none of its gateways' announced sensors has. Meaningful
 * only once some gateway of the station announced its sensors (`announced` not empty): before that
 * every target would look unknown. A typo in a rule (or a renamed sensor) then shows in the log
 * instead of as a rule that silently never fires.
 */
export function unknownTargets(
  rules: readonly AlertRule[],
  station: string,
  announced: ReadonlyMap<string, readonly SensorDescription[]>,
): UnknownTarget[] {
  if (announced.size === 0) return [];
  const sensors = [...announced.values()].flat();
  const unknown: UnknownTarget[] = [];
  for (const rule of rules) {
    if (rule.station !== station) continue;
    for (const target of targetsOf(rule)) {
      if (target.sensor !== undefined && !sensors.some((s) => s.sensor === target.sensor)) {
        unknown.push({ rule, sensor: target.sensor });
      } else if (target.quantity !== undefined && !sensors.some((s) => s.quantity === target.quantity)) {
        unknown.push({ rule, quantity: target.quantity });
      }
    }
  }
  return unknown;
}
