import type { AlertRule, RuleOf } from '../alert-rule.js';
import { compositeKind } from './composite.js';
import { deadmanKind } from './deadman.js';
import { forecastKind } from './forecast.js';
import { gatewayOfflineKind } from './gateway-offline.js';
import type { KindEvaluator } from './kind.js';
import { rateKind } from './rate.js';
import { thresholdKind } from './threshold.js';

/** The one catalogue of rule kinds: the compiler insists on an evaluator for every kind. */
export const KINDS: { readonly [K in AlertRule['kind']]: KindEvaluator<RuleOf<K>, unknown> } = {
  threshold: thresholdKind,
  rate: rateKind,
  composite: compositeKind,
  deadman: deadmanKind,
  'gateway-offline': gatewayOfflineKind,
  forecast: forecastKind,
};

/** The evaluator of a rule's kind, typed for that rule. */
export function evaluatorOf(rule: AlertRule): KindEvaluator<AlertRule, unknown> {
  // The table pairs each kind with its evaluator, so the rule given is always the one it expects.
  return KINDS[rule.kind] as KindEvaluator<AlertRule, unknown>;
}
