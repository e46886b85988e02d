import { describe, expect, it } from 'vitest';
import { AlertEngine } from '../../../ingest/alerts/alert-engine.js';
import { renderAlertMessage, toAlertEvent } from '../../../ingest/alerts/alert-event.js';
import {
  type AlertRule,
  type AlertRuleInput,
  AlertRuleSchema,
  type ThresholdRule,
} from '../../../ingest/alerts/alert-rule.js';
import { evaluateRule, INITIAL_RULE_STATE, type RuleState } from '../../../ingest/alerts/evaluate-rule.js';
import { AlertEventSchema, type QcFlagValue, type Reading } from '../../../protocol/index.js';

const T0 = 1764194400000;
const address = { station: 'jinfo', gateway: 'cave-gw-1' };
function threshold(rule: AlertRule): ThresholdRule {
  if (rule.kind !== 'threshold') throw new Error(`expected a threshold rule, got ${rule.kind}`);
  return rule;
}
const co2Rule = (overrides: Partial<AlertRuleInput> = {}) =>
  threshold(
    AlertRuleSchema.parse({
      id: 'cave-co2-high',
      station: 'jinfo',
      quantity: 'co2',
      op: 'above',
      threshold: 5000,
      clearAt: 4500,
      description: 'cave CO2 high',
      ...overrides,
    }),
  );

let clock = 0;
function co2(value: number, sensor = 'cave-co2-1', qc: QcFlagValue = 1): Reading {
  clock += 60_000;
  return { sensor, quantity: 'co2', unit: '[ppm]', value, time: T0 + clock, qc };
}

/** Runs readings through one rule and returns the states of the transitions it emitted. */
function run(rule: ReturnType<typeof co2Rule>, readings: Reading[]): string[] {
  let state: RuleState = INITIAL_RULE_STATE;
  const emitted: string[] = [];
  for (const reading of readings) {
    const result = evaluateRule(rule, state, { address, reading });
    state = result.state;
    if (result.transition) emitted.push(`${result.transition.state}:${reading.sensor}:${reading.value}`);
  }
  return emitted;
}

describe('evaluateRule', () => {
  it('fires once when a reading crosses and does not repeat while firing', () => {
    expect(run(co2Rule(), [co2(4000), co2(5001), co2(6000), co2(5200)])).toEqual(['firing:cave-co2-1:5001']);
  });

  it('does not fire at the threshold itself', () => {
    expect(run(co2Rule(), [co2(5000)])).toEqual([]);
  });

  it('clears once, only below clearAt (hysteresis)', () => {
    const emitted = run(co2Rule(), [co2(5100), co2(4900), co2(4600), co2(4500), co2(4499), co2(4000)]);
    expect(emitted).toEqual(['firing:cave-co2-1:5100', 'clear:cave-co2-1:4499']);
  });

  it('clears at the threshold when clearAt is not given', () => {
    const rule = co2Rule({ clearAt: undefined });
    expect(run(rule, [co2(5100), co2(4999)])).toEqual(['firing:cave-co2-1:5100', 'clear:cave-co2-1:4999']);
  });

  it('mirrors everything for a below rule', () => {
    const rule = co2Rule({ op: 'below', threshold: 300, clearAt: 350 });
    expect(run(rule, [co2(400), co2(299), co2(340), co2(351)])).toEqual([
      'firing:cave-co2-1:299',
      'clear:cave-co2-1:351',
    ]);
  });

  it('keeps a quantity rule firing while any of two sensors is high, naming the sensor that changes it', () => {
    const emitted = run(co2Rule(), [
      co2(5100, 'cave-co2-1'),
      co2(5300, 'cave-co2-2'),
      co2(4000, 'cave-co2-1'),
      co2(4100, 'cave-co2-2'),
      co2(5500, 'cave-co2-2'),
    ]);
    expect(emitted).toEqual(['firing:cave-co2-1:5100', 'clear:cave-co2-2:4100', 'firing:cave-co2-2:5500']);
  });

  it('ignores readings flagged fail (4) or missing (9)', () => {
    expect(run(co2Rule(), [co2(9999, 'cave-co2-1', 4), co2(9999, 'cave-co2-1', 9)])).toEqual([]);
    expect(run(co2Rule(), [co2(5100), co2(0, 'cave-co2-1', 4), co2(4000, 'cave-co2-1', 3)])).toEqual([
      'firing:cave-co2-1:5100',
      'clear:cave-co2-1:4000',
    ]);
  });

  it('ignores other stations, quantities, units and, for a sensor rule, other sensors', () => {
    const sensorRule = co2Rule({ quantity: undefined, sensor: 'cave-co2-2' });
    expect(run(sensorRule, [co2(9000, 'cave-co2-1')])).toEqual([]);
    expect(run(co2Rule({ unit: 'mg/m3' }), [co2(9000)])).toEqual([]);
    const other = evaluateRule(co2Rule(), INITIAL_RULE_STATE, {
      address: { station: 'xuefeng', gateway: 'g' },
      reading: co2(9000),
    });
    expect(other.transition).toBeUndefined();
  });

  it('ignores a replayed older reading, so redelivery cannot re-fire a cleared rule', () => {
    const high = co2(5100);
    expect(run(co2Rule(), [high, co2(4000), high])).toEqual([
      'firing:cave-co2-1:5100',
      'clear:cave-co2-1:4000',
    ]);
  });

  it('reports when the episode began on clear', () => {
    const rule = co2Rule();
    const first = co2(5100);
    let state = evaluateRule(rule, INITIAL_RULE_STATE, { address, reading: first }).state;
    state = evaluateRule(rule, state, { address, reading: co2(5200) }).state;
    const cleared = evaluateRule(rule, state, { address, reading: co2(100) });
    expect(cleared.transition).toMatchObject({ state: 'clear', since: first.time });
  });
});

describe('alert events', () => {
  it('builds a contract-valid event with a message a person can read', () => {
    const engine = new AlertEngine([co2Rule()]);
    const [firing] = engine.evaluate(address, [co2(5120.4)]);
    if (!firing) throw new Error('expected a transition');
    expect(renderAlertMessage(firing)).toBe(
      'jinfo cave-co2-1: co2 5120.4 [ppm] above 5000 [ppm] (cave CO2 high)',
    );
    const event = toAlertEvent(firing);
    expect(AlertEventSchema.parse(event)).toEqual(event);
    expect(event).toMatchObject({
      station: 'jinfo',
      rule: 'cave-co2-high',
      state: 'firing',
      severity: 'warning',
      threshold: 5000,
    });
    const [clear] = engine.evaluate(address, [co2(4000)]);
    if (!clear) throw new Error('expected a clear');
    expect(renderAlertMessage(clear)).toBe(
      'jinfo cave-co2-1: co2 4000 [ppm] back below 4500 [ppm] (cave CO2 high)',
    );
    expect(engine.firing()).toEqual([]);
  });

  it('fills a custom template', () => {
    const engine = new AlertEngine([
      co2Rule({ message: '{severity}: {sensor} at {gateway} is {value} ({state})' }),
    ]);
    const [firing] = engine.evaluate(address, [co2(5000.1)]);
    if (!firing) throw new Error('expected a transition');
    expect(renderAlertMessage(firing)).toBe('warning: cave-co2-1 at cave-gw-1 is 5000.1 (firing)');
  });
});
