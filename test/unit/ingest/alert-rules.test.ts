import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AlertRulesError, loadAlertRules, parseAlertRules } from '../../../ingest/alerts/load-rules.js';

const FILE = 'alerts.yaml';

function errorOf(text: string): AlertRulesError {
  try {
    parseAlertRules(text, FILE);
  } catch (error) {
    if (error instanceof AlertRulesError) return error;
    throw error;
  }
  throw new Error('expected the rules to be refused');
}

const base =
  'rules:\n  - id: cave-co2-high\n    station: jinfo\n    quantity: co2\n    op: above\n    threshold: 5000\n';

describe('alert rules file', () => {
  it('ships a valid reference file with rules of every kind for both stations', async () => {
    const rules = await loadAlertRules(join(import.meta.dirname, '../../../config/alerts.yaml'));
    expect(rules.map((rule) => `${rule.station}/${rule.id}:${rule.kind}`)).toEqual([
      'jinfo/cave-co2-high:threshold',
      'jinfo/spring-stage-rising:rate',
      'jinfo/drip-counter-silent:deadman',
      'jinfo/jinfo-gateway-offline:gateway-offline',
      'xuefeng/conductor-icing:threshold',
      'xuefeng/ice-growth-fast:rate',
      'xuefeng/icing-weather:composite',
      'xuefeng/ice-design-thickness-forecast:forecast',
      'xuefeng/xuefeng-gateway-offline:gateway-offline',
    ]);
    expect(rules[0]).toMatchObject({
      op: 'above',
      threshold: 5000,
      clearAt: 4500,
      quantity: 'co2',
      for: 300_000,
    });
  });

  it('applies defaults: severity warning, clearAt = threshold', () => {
    const [rule] = parseAlertRules(base, FILE);
    expect(rule).toMatchObject({ severity: 'warning', clearAt: 5000 });
    expect(Object.isFrozen(rule)).toBe(true);
  });

  it('reads JSON as well as YAML', () => {
    const json = JSON.stringify({
      rules: [{ id: 'r1', station: 'jinfo', sensor: 's1', op: 'below', threshold: 2 }],
    });
    expect(parseAlertRules(json, 'alerts.json')[0]).toMatchObject({ sensor: 's1', op: 'below' });
  });

  it('names file, path and expectation for a wrong type', () => {
    const error = errorOf(base.replace('threshold: 5000', 'threshold: high'));
    expect(error.code).toBe('ALERT_RULES_INVALID');
    expect(error.file).toBe(FILE);
    expect(error.message).toMatch(/^alerts\.yaml: rules\.0\.threshold: .*number/);
  });

  it('refuses a rule id that is not a slug and an unknown op', () => {
    const error = errorOf(base.replace('id: cave-co2-high', 'id: Cave CO2').replace('op: above', 'op: over'));
    expect(error.issues.some((issue) => issue.startsWith('rules.0.id: must be a slug'))).toBe(true);
    expect(error.issues.some((issue) => issue.startsWith('rules.0.op:'))).toBe(true);
  });

  it('refuses a rule id named after a gateway kind, whose alert topic the ingest would consume', () => {
    const error = errorOf(base.replace('id: cave-co2-high', 'id: readings'));
    expect(error.message).toMatch(/rules\.0\.id: must not be "readings", "status", "health"/);
  });

  it('requires exactly one of sensor or quantity', () => {
    expect(errorOf(base.replace('    quantity: co2\n', '')).message).toContain(
      'rules.0.sensor: give exactly one',
    );
    expect(errorOf(base.replace('quantity: co2', 'quantity: co2\n    sensor: s1')).message).toContain(
      'exactly one',
    );
  });

  it('refuses clearAt on the wrong side of the threshold', () => {
    expect(errorOf(`${base}    clearAt: 5500\n`).message).toContain(
      'rules.0.clearAt: must be at or below the threshold 5000',
    );
  });

  it('refuses unknown keys, unknown placeholders and duplicate ids', () => {
    expect(errorOf(`${base}    treshold: 1\n`).message).toContain('treshold');
    expect(errorOf(`${base}    message: "{station} {valeu}"\n`).message).toContain(
      'rules.0.message: unknown placeholder {valeu}',
    );
    const twice = `${base}${base.replace('rules:\n', '')}`;
    expect(errorOf(twice).message).toContain('rules.1.id: duplicate rule jinfo/cave-co2-high');
  });

  it('reports YAML syntax errors with a line number', () => {
    expect(errorOf('rules:\n  - id: [unclosed\n').message).toMatch(/^alerts\.yaml: line \d+: /);
  });

  it('names the file it cannot read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fs-alerts-'));
    await expect(loadAlertRules(join(dir, 'missing.yaml'))).rejects.toThrow(/missing\.yaml: cannot read/);
    await writeFile(join(dir, 'empty.yaml'), '');
    await expect(loadAlertRules(join(dir, 'empty.yaml'))).rejects.toThrow(/empty\.yaml: \(file\): /);
  });
});
