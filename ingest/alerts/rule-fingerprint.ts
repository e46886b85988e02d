import type { AlertRule } from './alert-rule.js';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/**
 * What decides a rule's evaluation, as one string. Severity, description and message change how an
 * event reads, not when it fires, so editing them keeps the rule's state across a reload or restart.
 */
export function ruleFingerprint(rule: AlertRule): string {
  const { severity: _severity, description: _description, message: _message, ...evaluation } = rule;
  return JSON.stringify(canonical(evaluation));
}
