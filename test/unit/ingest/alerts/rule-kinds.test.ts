import { describe, expect, it } from 'vitest';
import { AlertEngine } from '../../../../ingest/alerts/alert-engine.js';
import { toAlertEvent } from '../../../../ingest/alerts/alert-event.js';
import { AlertRuleSchema } from '../../../../ingest/alerts/alert-rule.js';
import type { AlertTransition } from '../../../../ingest/alerts/kinds/kind.js';
import { AlertEventSchema, type Reading, type Status } from '../../../../protocol/index.js';

const T0 = 1764194400000;
const MIN = 60_000;
const jinfo = { station: 'jinfo', gateway: 'cave-gw-1' };
const xuefeng = { station: 'xuefeng', gateway: 'line-gw-1' };

function reading(
  sensor: string,
  quantity: string,
  unit: string,
  value: number,
  minutes: number,
  qc = 1,
): Reading {
  return { sensor, quantity, unit, value, time: T0 + minutes * MIN, qc: qc as Reading['qc'] };
}
const co2 = (value: number, minutes: number) => reading('cave-co2-1', 'co2', '[ppm]', value, minutes);
const at = (minutes: number) => ({ now: T0 + minutes * MIN, caughtUp: true });
const summary = (transitions: readonly AlertTransition[]) =>
  transitions.map((t) => `${t.state}@${(t.since - T0) / MIN}`);

function events(transitions: readonly AlertTransition[]) {
  return transitions.map((t) => AlertEventSchema.parse(toAlertEvent(t)));
}

describe('threshold with for', () => {
  const rule = AlertRuleSchema.parse({
    id: 'cave-co2-high',
    station: 'jinfo',
    quantity: 'co2',
    unit: '[ppm]',
    op: 'above',
    threshold: 5000,
    clearAt: 4500,
    for: '5m',
  });

  it('fires only once the condition has held for the duration, on sample time', () => {
    const engine = new AlertEngine([rule]);
    expect(engine.evaluate(jinfo, [co2(5100, 0), co2(5200, 2), co2(5300, 4)])).toEqual([]);
    const fired = engine.evaluate(jinfo, [co2(5400, 6)]);
    expect(summary(fired)).toEqual(['firing@5']);
    expect(events(fired)[0]).toMatchObject({ kind: 'threshold', sensor: 'cave-co2-1', value: 5400 });
  });

  it('restarts the duration when the condition breaks', () => {
    const engine = new AlertEngine([rule]);
    expect(engine.evaluate(jinfo, [co2(5100, 0), co2(4900, 3), co2(5100, 4), co2(5100, 8)])).toEqual([]);
    expect(summary(engine.evaluate(jinfo, [co2(5100, 9)]))).toEqual(['firing@9']);
  });

  it('is completed by the tick when no reading comes at the deadline, once', () => {
    const engine = new AlertEngine([rule]);
    engine.evaluate(jinfo, [co2(5100, 0), co2(5200, 4)]);
    expect(engine.tick(at(4.9))).toEqual([]);
    const fired = engine.tick(at(5));
    expect(summary(fired)).toEqual(['firing@5']);
    expect(events(fired)[0]?.message).toContain('co2 5200 [ppm] above 5000');
    expect(engine.tick(at(6))).toEqual([]);
    expect(engine.evaluate(jinfo, [co2(5200, 7)])).toEqual([]);
    expect(summary(engine.evaluate(jinfo, [co2(4400, 8)]))).toEqual(['clear@5']);
  });

  it('does not let the tick complete a duration from stale or late readings', () => {
    const engine = new AlertEngine([rule]);
    // An outbox replaying readings of an hour ago: the tick must not fire on them...
    engine.evaluate(jinfo, [co2(5100, -60), co2(5100, -58)]);
    expect(engine.tick(at(0))).toEqual([]);
    // ...but the replayed readings complete the duration themselves, at their own sample time.
    expect(summary(engine.evaluate(jinfo, [co2(5100, -55)]))).toEqual(['firing@-55']);
  });
});

describe('rate', () => {
  const rule = AlertRuleSchema.parse({
    kind: 'rate',
    id: 'ice-growth-fast',
    station: 'xuefeng',
    quantity: 'ice-thickness',
    unit: 'mm',
    op: 'above',
    threshold: 2,
    clearAt: 1,
    window: '1h',
    per: 'h',
  });
  const ice = (value: number, minutes: number) => reading('ice-1', 'ice-thickness', 'mm', value, minutes);
  // Deterministic "noise" of ±0.6 mm: larger than one 5-minute step of a 3 mm/h growth.
  const noise = (i: number) => [0.6, -0.5, 0.2, -0.6, 0.4, -0.1, 0.5, -0.4][i % 8] ?? 0;

  it('fires on a least-squares slope over the window despite noisy readings, and clears below clearAt', () => {
    const engine = new AlertEngine([rule]);
    const growing = Array.from({ length: 13 }, (_, i) => ice(5 + (3 * i * 5) / 60 + noise(i), i * 5));
    const fired = engine.evaluate(xuefeng, growing);
    expect(fired.map((t) => t.state)).toEqual(['firing']);
    const event = events(fired)[0];
    expect(event?.value).toBeGreaterThan(2.5);
    expect(event?.value).toBeLessThan(3.5);
    expect(event?.message).toMatch(/ice-thickness changing at 3\.\d* mm\/h over 1h, above 2 mm\/h/);
    const flat = Array.from({ length: 13 }, (_, i) => ice(8 + noise(i + 3), 65 + i * 5));
    expect(engine.evaluate(xuefeng, flat).map((t) => t.state)).toEqual(['clear']);
  });

  it('does not fire on noise around a flat value where first/last would', () => {
    const engine = new AlertEngine([rule]);
    // First reading low, last high by noise alone: first/last says 2.2 mm/h, the trend is flat.
    const values = [4.4, 5.6, 4.5, 5.5, 4.6, 5.4, 4.7, 5.3, 4.8, 5.2, 4.9, 5.1, 6.6];
    expect(
      engine.evaluate(
        xuefeng,
        values.map((v, i) => ice(v, i * 5)),
      ),
    ).toEqual([]);
  });

  it('waits for readings spanning half the window', () => {
    const engine = new AlertEngine([rule]);
    expect(engine.evaluate(xuefeng, [ice(1, 0), ice(5, 10), ice(9, 20)])).toEqual([]);
  });

  it('takes no slope from readings so large that the fit overflows, rather than fire an unreadable event', () => {
    const engine = new AlertEngine([rule]);
    const huge = Array.from({ length: 7 }, (_, i) => ice((i + 1) * 1e307, i * 10));
    // Before, the rate was Infinity: the event's value went out as null and failed the contract.
    expect(engine.evaluate(xuefeng, huge)).toEqual([]);
  });

  it('is not blinded by one reading from a clock hours fast (the ingest stores up to a day ahead)', () => {
    const engine = new AlertEngine([rule]);
    // Sampled 20 h ahead, received now: before, it anchored the window and every real reading after
    // it counted as a replay, so 12 mm/h of icing went unnoticed for 20 h.
    expect(engine.evaluate(xuefeng, [ice(0, 20 * 60)], T0)).toEqual([]);
    const growing = Array.from({ length: 13 }, (_, i) => [ice(5 + i, i * 5)] as const);
    const fired = growing.flatMap((batch, i) => engine.evaluate(xuefeng, batch, T0 + i * 5 * MIN));
    expect(fired.map((t) => t.state)).toEqual(['firing']);
  });
});

describe('composite', () => {
  const rule = AlertRuleSchema.parse({
    kind: 'composite',
    id: 'icing-weather',
    station: 'xuefeng',
    all: [
      { quantity: 'air-temperature', unit: 'Cel', op: 'below', threshold: 0, clearAt: 1 },
      { quantity: 'relative-humidity', unit: '%', op: 'above', threshold: 89.99, clearAt: 85 },
    ],
    for: '30m',
    staleAfter: '15m',
  });
  const temp = (value: number, minutes: number) =>
    reading('air-temp-1', 'air-temperature', 'Cel', value, minutes);
  const rh = (value: number, minutes: number) => reading('rh-1', 'relative-humidity', '%', value, minutes);

  it('fires when every condition has held for the duration, via a reading or the tick', () => {
    const engine = new AlertEngine([rule]);
    expect(
      engine.evaluate(xuefeng, [temp(-1, 0), rh(95, 0), temp(-2, 10), rh(96, 20), temp(-2, 25)]),
    ).toEqual([]);
    expect(engine.tick(at(29))).toEqual([]);
    const fired = engine.tick(at(30));
    expect(summary(fired)).toEqual(['firing@30']);
    expect(events(fired)[0]?.message).toBe(
      'xuefeng: all conditions hold (air-temperature -2 Cel, relative-humidity 96 %)',
    );
    expect(engine.tick(at(31))).toEqual([]);
    // Hysteresis: humidity at 88 % still counts; below 85 % it clears.
    expect(engine.evaluate(xuefeng, [rh(88, 32)])).toEqual([]);
    expect(summary(engine.evaluate(xuefeng, [rh(80, 33)]))).toEqual(['clear@30']);
  });

  it('counts a stale input as unknown: not satisfied', () => {
    const engine = new AlertEngine([rule]);
    engine.evaluate(xuefeng, [temp(-1, 0), rh(95, 0), temp(-1, 20)]);
    // Humidity last heard at 0: stale after 15 minutes, so the condition does not hold at 30.
    expect(engine.tick(at(30))).toEqual([]);
    expect(engine.evaluate(xuefeng, [temp(-1, 31)])).toEqual([]);
  });

  it('ignores readings flagged fail or missing', () => {
    const engine = new AlertEngine([rule]);
    const bad = { ...rh(99, 0), qc: 4 as const };
    engine.evaluate(xuefeng, [temp(-1, 0), bad, temp(-1, 40)]);
    expect(engine.tick(at(41))).toEqual([]);
  });
});

describe('deadman', () => {
  const status = (intervalMs: number): Status => ({
    v: 1,
    state: 'online',
    sensors: [{ sensor: 'drip-rate-1', quantity: 'drip-rate', unit: '/min', intervalMs }],
  });
  const drip = (minutes: number) => reading('drip-rate-1', 'drip-rate', '/min', 3, minutes);

  it('fires after missed × the announced interval, once, and clears on the next reading', () => {
    const rule = AlertRuleSchema.parse({
      kind: 'deadman',
      id: 'drip-silent',
      station: 'jinfo',
      sensor: 'drip-rate-1',
      missed: 5,
    });
    const engine = new AlertEngine([rule]);
    engine.status(jinfo, status(MIN), T0);
    engine.evaluate(jinfo, [drip(1)]);
    expect(engine.tick(at(5.9))).toEqual([]);
    const fired = engine.tick(at(6));
    expect(summary(fired)).toEqual(['firing@6']);
    expect(events(fired)[0]).toMatchObject({ kind: 'deadman', gateway: 'cave-gw-1', sensor: 'drip-rate-1' });
    expect(events(fired)[0]?.message).toBe('jinfo cave-gw-1/drip-rate-1: no reading for 5m');
    expect(engine.tick(at(7))).toEqual([]);
    expect(summary(engine.evaluate(jinfo, [drip(8)]))).toEqual(['clear@6']);
  });

  it('watches an announced sensor never heard, from the announcement; explicit after wins', () => {
    const rule = AlertRuleSchema.parse({
      kind: 'deadman',
      id: 'drip-silent',
      station: 'jinfo',
      quantity: 'drip-rate',
      after: '30m',
    });
    const engine = new AlertEngine([rule]);
    engine.status(jinfo, status(MIN), T0);
    expect(engine.tick(at(29))).toEqual([]);
    expect(summary(engine.tick(at(30)))).toEqual(['firing@30']);
  });

  it('waits until the broker queue is drained', () => {
    const rule = AlertRuleSchema.parse({
      kind: 'deadman',
      id: 'drip-silent',
      station: 'jinfo',
      sensor: 'drip-rate-1',
      after: '5m',
    });
    const engine = new AlertEngine([rule]);
    engine.evaluate(jinfo, [drip(0)]);
    expect(engine.tick({ now: T0 + 20 * MIN, caughtUp: false })).toEqual([]);
    // The queued readings arrive: not silent after all.
    engine.evaluate(jinfo, [drip(19)]);
    expect(engine.tick(at(20))).toEqual([]);
  });
});

describe('gateway-offline', () => {
  const rule = AlertRuleSchema.parse({
    kind: 'gateway-offline',
    id: 'gateway-offline',
    station: 'jinfo',
    after: '10m',
  });
  const offline: Status = { v: 1, state: 'offline' };
  const online: Status = { v: 1, state: 'online' };

  it('fires when offline longer than after, once, and clears when online again', () => {
    const engine = new AlertEngine([rule]);
    expect(engine.status(jinfo, offline, T0)).toEqual([]);
    // The retained status delivered again does not restart the clock.
    engine.status(jinfo, offline, T0 + 5 * MIN);
    expect(engine.tick(at(9))).toEqual([]);
    const fired = engine.tick(at(10));
    expect(summary(fired)).toEqual(['firing@10']);
    expect(events(fired)[0]).toMatchObject({ kind: 'gateway-offline', gateway: 'cave-gw-1' });
    expect(events(fired)[0]?.message).toBe('jinfo cave-gw-1: offline for 10m');
    expect(engine.tick(at(11))).toEqual([]);
    const cleared = engine.status(jinfo, online, T0 + 12 * MIN);
    expect(summary(cleared)).toEqual(['clear@10']);
    expect(events(cleared)[0]?.message).toBe('jinfo cave-gw-1: online again');
  });

  it('does not fire for a gateway back online within the delay, nor for other gateways of a gateway rule', () => {
    const one = AlertRuleSchema.parse({
      kind: 'gateway-offline',
      id: 'gw',
      station: 'jinfo',
      gateway: 'surface-gw-1',
    });
    const engine = new AlertEngine([rule, one]);
    engine.status(jinfo, offline, T0);
    engine.status(jinfo, online, T0 + 5 * MIN);
    expect(engine.tick(at(20))).toEqual([]);
    engine.status(jinfo, offline, T0 + 21 * MIN);
    expect(engine.tick(at(40)).map((t) => t.rule.id)).toEqual(['gateway-offline']);
  });
});

describe('forecast', () => {
  const rule = AlertRuleSchema.parse({
    kind: 'forecast',
    id: 'ice-design-load',
    station: 'xuefeng',
    quantity: 'ice-thickness',
    unit: 'mm',
    limit: 20,
    within: '6h',
    window: '2h',
  });
  const ice = (value: number, minutes: number) => reading('ice-1', 'ice-thickness', 'mm', value, minutes);
  const noise = (i: number) => [0.3, -0.2, 0.1, -0.3, 0.2][i % 5] ?? 0;

  it('fires when the trend reaches the limit within the horizon, clears when it falls', () => {
    const engine = new AlertEngine([rule]);
    // 1 mm/h from 6 mm: 20 mm is 14 h away.
    const slow = Array.from({ length: 13 }, (_, i) => ice(6 + (i * 10) / 60 + noise(i), i * 10));
    expect(engine.evaluate(xuefeng, slow)).toEqual([]);
    // 3 mm/h from 8 mm: about 4 h away.
    const fast = Array.from({ length: 13 }, (_, i) => ice(8 + (3 * i * 10) / 60 + noise(i), 130 + i * 10));
    const fired = engine.evaluate(xuefeng, fast);
    expect(fired.map((t) => t.state)).toEqual(['firing']);
    expect(events(fired)[0]?.message).toMatch(/reaches 20 mm in [3-6](\.\d+)?h/);
    const melting = Array.from({ length: 13 }, (_, i) => ice(14 - (2 * i * 10) / 60, 260 + i * 10));
    expect(engine.evaluate(xuefeng, melting).map((t) => t.state)).toEqual(['clear']);
  });

  it('stays firing while the projection is between within and clearWithin (hysteresis)', () => {
    const engine = new AlertEngine([rule]);
    const fast = Array.from({ length: 13 }, (_, i) => ice(8 + (3 * i * 10) / 60, i * 10));
    expect(engine.evaluate(xuefeng, fast).map((t) => t.state)).toEqual(['firing']);
    // Growth slows to 1.5 mm/h from 14 mm: 4 h... then 0.8 mm/h from ~15 mm: about 6.5 h, < 9 h.
    const slower = Array.from({ length: 13 }, (_, i) =>
      ice(14 + (0.8 * (i + 1) * 10) / 60, 120 + (i + 1) * 10),
    );
    expect(engine.evaluate(xuefeng, slower)).toEqual([]);
    expect(engine.firing()).toEqual([rule]);
  });

  it('does not fire and clear by turns on a noisy plateau past the limit (seen in the demo week)', () => {
    const engine = new AlertEngine([rule]);
    // Ice held at about 21.3 mm for five hours: the fitted slope flips sign with the noise.
    const plateau = Array.from({ length: 31 }, (_, i) => ice(21.3 + noise(i) / 10, i * 10));
    expect(engine.evaluate(xuefeng, plateau)).toEqual([]);
  });
});
