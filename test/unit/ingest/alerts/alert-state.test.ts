import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AlertEngine } from '../../../../ingest/alerts/alert-engine.js';
import { AlertRuleSchema } from '../../../../ingest/alerts/alert-rule.js';
import {
  AlertStateFileError,
  readAlertState,
  writeAlertState,
} from '../../../../ingest/alerts/alert-state-file.js';
import type { Reading } from '../../../../protocol/index.js';
import { tempDir } from '../../../harness/temp-dir.js';

const T0 = 1764194400000;
const MIN = 60_000;
const jinfo = { station: 'jinfo', gateway: 'cave-gw-1' };
const co2For = AlertRuleSchema.parse({
  id: 'co2',
  station: 'jinfo',
  quantity: 'co2',
  op: 'above',
  threshold: 5000,
  for: '5m',
});
const deadman = AlertRuleSchema.parse({
  kind: 'deadman',
  id: 'drip',
  station: 'jinfo',
  sensor: 'drip-rate-1',
  after: '10m',
});
const offline = AlertRuleSchema.parse({ kind: 'gateway-offline', id: 'gw', station: 'jinfo', after: '10m' });
const co2 = (value: number, minutes: number): Reading => ({
  sensor: 'cave-co2-1',
  quantity: 'co2',
  unit: '[ppm]',
  value,
  time: T0 + minutes * MIN,
  qc: 1,
});
const drip = (minutes: number): Reading => ({
  sensor: 'drip-rate-1',
  quantity: 'drip-rate',
  unit: '/min',
  value: 2,
  time: T0 + minutes * MIN,
  qc: 1,
});
const at = (minutes: number) => ({ now: T0 + minutes * MIN, caughtUp: true });

/** An engine after a restart: the same rules parsed again, the snapshot through JSON. */
function restarted(
  engine: AlertEngine,
  rules = engine.rules.map((rule) => AlertRuleSchema.parse({ ...rule })),
): AlertEngine {
  const next = new AlertEngine(rules);
  next.restore(JSON.parse(JSON.stringify(engine.snapshot(T0))));
  return next;
}

describe('alert state snapshot', () => {
  it('carries a half-elapsed for, a deadman clock and an offline clock over a restart: one fire each', () => {
    const engine = new AlertEngine([co2For, deadman, offline]);
    engine.evaluate(jinfo, [co2(5100, 0), co2(5200, 2), drip(0)]);
    engine.status(jinfo, { v: 1, state: 'offline' }, T0 + 1 * MIN);
    expect(engine.tick(at(3))).toEqual([]);
    const after = restarted(engine);
    expect(after.tick(at(4))).toEqual([]);
    expect(after.tick(at(5)).map((t) => t.rule.id)).toEqual(['co2']);
    expect(after.tick(at(10)).map((t) => t.rule.id)).toEqual(['drip']);
    expect(after.tick(at(11)).map((t) => t.rule.id)).toEqual(['gw']);
    const again = restarted(after);
    expect(again.tick(at(30))).toEqual([]);
    expect(again.firing().map((rule) => rule.id)).toEqual(['co2', 'drip', 'gw']);
  });

  it('drops the state of a changed rule and keeps an unchanged one, on reload as on restart', () => {
    const engine = new AlertEngine([co2For, deadman]);
    engine.evaluate(jinfo, [co2(5100, 0), drip(0)]);
    const changed = AlertRuleSchema.parse({ ...co2For, threshold: 6000 });
    const reworded = AlertRuleSchema.parse({ ...deadman, description: 'drip counter silent' });
    const after = restarted(engine, [changed, reworded]);
    expect(after.tick(at(10)).map((t) => t.rule.id)).toEqual(['drip']);
    const { kept, dropped, cleared } = engine.replaceRules([changed, reworded], T0);
    expect(kept).toEqual([reworded]);
    expect(dropped).toEqual([co2For]);
    expect(cleared).toEqual([]);
    expect(engine.tick(at(10)).map((t) => t.rule.description)).toEqual(['drip counter silent']);
  });

  it('clears a firing rule that a reload removes or changes, saying why', () => {
    const engine = new AlertEngine([co2For, offline]);
    engine.evaluate(jinfo, [co2(5100, 0), co2(5100, 6)]);
    engine.status(jinfo, { v: 1, state: 'offline' }, T0);
    expect(engine.tick(at(10)).map((t) => t.rule.id)).toEqual(['gw']);
    const changed = AlertRuleSchema.parse({ ...co2For, threshold: 6000 });
    const { cleared } = engine.replaceRules([changed], T0 + 11 * MIN);
    expect(cleared.map((t) => [t.rule.id, t.state, (t.since - T0) / MIN, t.text])).toEqual([
      ['co2', 'clear', 5, 'jinfo co2: rule changed in the rules file; evaluated afresh'],
      ['gw', 'clear', 10, 'jinfo gw: rule removed from the rules file'],
    ]);
    expect(engine.firing()).toEqual([]);
  });

  it('is written atomically, read back, and refused with the file named when corrupt', async () => {
    const dir = tempDir('alert-state');
    const file = join(dir, 'ingest', 'alert-state.json');
    expect(await readAlertState(file)).toBeUndefined();
    const engine = new AlertEngine([co2For]);
    engine.evaluate(jinfo, [co2(5100, 0)]);
    await writeAlertState(file, engine.snapshot(T0));
    const read = await readAlertState(file);
    expect(read?.rules).toHaveLength(1);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ v: 1, savedAt: T0 });
    await writeFile(file, '{"v":1,"savedAt":');
    await expect(readAlertState(file)).rejects.toThrow(AlertStateFileError);
    await writeFile(file, '{"v":2,"savedAt":0,"rules":[],"announced":[]}');
    await expect(readAlertState(file)).rejects.toThrow(/alert-state\.json: v: /);
  });
});
