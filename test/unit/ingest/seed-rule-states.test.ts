import { describe, expect, it } from 'vitest';
import { AlertEngine } from '../../../ingest/alerts/alert-engine.js';
import { type LastAlertEvent, lastAlertEvents } from '../../../ingest/alerts/alert-history.js';
import { type AlertRuleInput, AlertRuleSchema } from '../../../ingest/alerts/alert-rule.js';
import { seedRuleStates } from '../../../ingest/alerts/seed-rule-states.js';
import type { Reading } from '../../../protocol/index.js';

const T0 = 1764194400000;
const address = { station: 'jinfo', gateway: 'cave-gw-1' };
const rule = (overrides: Partial<AlertRuleInput> = {}) =>
  AlertRuleSchema.parse({
    id: 'cave-co2-high',
    station: 'jinfo',
    quantity: 'co2',
    op: 'above',
    threshold: 5000,
    clearAt: 4500,
    ...overrides,
  });
const event = (overrides: Partial<LastAlertEvent> = {}): LastAlertEvent => ({
  station: 'jinfo',
  rule: 'cave-co2-high',
  state: 'firing',
  gateway: 'cave-gw-1',
  sensor: 'cave-co2-1',
  time: T0,
  ...overrides,
});
const co2 = (value: number, minutes: number, sensor = 'cave-co2-1'): Reading => ({
  sensor,
  quantity: 'co2',
  unit: '[ppm]',
  value,
  time: T0 + minutes * 60_000,
  qc: 1,
});

describe('lastAlertEvents', () => {
  it('reads one event per (station, rule) group from the query series and skips malformed rows', () => {
    const series = [
      {
        name: 'alert_event',
        tags: { station: 'jinfo', rule: 'cave-co2-high' },
        columns: ['time', 'state', 'gateway', 'sensor'],
        values: [[T0, 'firing', 'cave-gw-1', 'cave-co2-1']],
      },
      {
        name: 'alert_event',
        tags: { station: 'jinfo', rule: 'radon-high' },
        columns: ['time', 'state', 'gateway', 'sensor'],
        values: [[T0, 'exploded', 'cave-gw-1', 'radon-1']],
      },
    ];
    expect(lastAlertEvents(series)).toEqual([event()]);
  });
});

describe('seedRuleStates', () => {
  it('marks a rule whose last event is firing as firing for that sensor, since the event time', () => {
    const co2Rule = rule();
    const { states, orphaned } = seedRuleStates([co2Rule], [event()]);
    expect(orphaned).toEqual([]);
    expect(states.get(co2Rule)).toEqual({
      firing: true,
      since: T0,
      sensors: new Map([['cave-gw-1/cave-co2-1', { firing: true, since: T0, lastTime: T0 }]]),
    });
  });

  it('leaves rules whose last event is clear, or that have no history, quiet', () => {
    const { states, orphaned } = seedRuleStates([rule(), rule({ id: 'other' })], [event({ state: 'clear' })]);
    expect(states.size).toBe(0);
    expect(orphaned).toEqual([]);
  });

  it('seeds only rules that still exist and can still match the sensor; reports the rest', () => {
    const gone = event({ rule: 'removed-rule' });
    const otherStation = event({ station: 'other-cave' });
    const movedSensor = event({ rule: 'one-sensor', sensor: 'cave-co2-2' });
    const oneSensor = rule({ id: 'one-sensor', sensor: 'cave-co2-1', quantity: undefined });
    const { states, orphaned } = seedRuleStates([rule(), oneSensor], [gone, otherStation, movedSensor]);
    expect(states.size).toBe(0);
    expect(orphaned).toEqual([gone, otherStation, movedSensor]);
  });

  it('lets a seeded engine clear once when the sensor is back in range, without firing again', () => {
    const co2Rule = rule();
    const engine = new AlertEngine([co2Rule], seedRuleStates([co2Rule], [event()]).states);
    expect(engine.firing()).toEqual([co2Rule]);
    expect(engine.evaluate(address, [co2(5600, 1), co2(5300, 2)])).toEqual([]);
    const cleared = engine.evaluate(address, [co2(4300, 3), co2(4200, 4)]);
    expect(cleared).toEqual([expect.objectContaining({ state: 'clear', since: T0 })]);
    expect(engine.firing()).toEqual([]);
  });

  it('ignores a replayed reading older than the seeded event', () => {
    const co2Rule = rule();
    const engine = new AlertEngine([co2Rule], seedRuleStates([co2Rule], [event()]).states);
    expect(engine.evaluate(address, [co2(4000, -1)])).toEqual([]);
    expect(engine.firing()).toEqual([co2Rule]);
  });
});
