import { describe, expect, it } from 'vitest';
import {
  DELIVERY,
  decodePayload,
  GATEWAY_KINDS,
  gatewayTopic,
  MetaMessageSchema,
  parseGatewayTopic,
  RuleIdSchema,
  SUBSCRIPTIONS,
} from '../../../protocol/index.js';

const TIME = Date.UTC(2026, 11, 4, 12);

function message(overrides: Record<string, unknown> = {}) {
  return {
    v: 1,
    time: TIME,
    station: { position: { latitude: 29.0188, longitude: 107.1939, elevation: 1742 } },
    sensors: [
      {
        sensor: 'cave-co2-1',
        make: 'Vaisala',
        installed: '2024-05-23',
        calibration: { date: '2025-11-03', coefficients: { scale: 1250, offset: -12.5 }, by: 'Wang Jun' },
      },
    ],
    ...overrides,
  };
}

function issues(value: unknown): string[] {
  const parsed = MetaMessageSchema.safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('the meta topic', () => {
  it('is a gateway kind, retained at QoS 1, with its own subscription', () => {
    expect(GATEWAY_KINDS).toContain('meta');
    expect(DELIVERY.meta).toEqual({ qos: 1, retain: true });
    expect(gatewayTopic({ station: 'jinfo', gateway: 'cave-gw-1' }, 'meta')).toBe(
      'fs/v1/jinfo/cave-gw-1/meta',
    );
    expect(parseGatewayTopic('fs/v1/jinfo/cave-gw-1/meta')).toEqual({
      station: 'jinfo',
      gateway: 'cave-gw-1',
      kind: 'meta',
    });
    expect(SUBSCRIPTIONS.meta).toBe('fs/v1/+/+/meta');
  });

  it('cannot be shadowed by an alert rule named "meta"', () => {
    expect(RuleIdSchema.safeParse('meta').success).toBe(false);
  });
});

describe('MetaMessageSchema', () => {
  it('accepts a message as a gateway sends it, and one with only its sensors listed', () => {
    expect(issues(message())).toEqual([]);
    expect(issues({ v: 1, time: '2026-12-04T20:00:00+08:00', sensors: [{ sensor: 'rain-1' }] })).toEqual([]);
  });

  it('refuses impossible positions, naming the path', () => {
    const bad = message({ station: { position: { latitude: 91, longitude: -181, elevation: 10_000 } } });
    expect(issues(bad)).toEqual([
      'station.position.latitude: must be between -90 and 90',
      'station.position.longitude: must be between -180 and 180',
      'station.position.elevation: must be between -12000 and 9000 m',
    ]);
  });

  it('refuses calibrations before 1900 and dates that are not dates', () => {
    const old = message({ sensors: [{ sensor: 's1', calibration: { date: '1899-12-31' } }] });
    expect(issues(old)).toEqual(['sensors.0.calibration.date: must be between 1900-01-01 and 2100-01-01']);
    const text = message({ sensors: [{ sensor: 's1', installed: 'last spring' }] });
    expect(issues(text)[0]).toMatch(/^sensors\.0\.installed: must be a date/);
  });

  it("refuses installation and calibration dates after the message's time (a zone-less date gets a day)", () => {
    const future = message({
      gateway: { installed: '2026-12-07' },
      sensors: [{ sensor: 's1', calibration: { date: '2026-12-04T13:00:00Z' } }],
    });
    expect(issues(future)).toEqual([
      "gateway.installed: 2026-12-07 is after the message's time",
      "sensors.0.calibration.date: 2026-12-04T13:00:00Z is after the message's time",
    ]);
    // The same day in a zone east of UTC is not the future.
    expect(issues(message({ gateway: { installed: '2026-12-05' } }))).toEqual([]);
  });

  it('refuses a sensor listed twice and coefficients that are not numbers', () => {
    expect(issues(message({ sensors: [{ sensor: 's1' }, { sensor: 's1' }] }))).toEqual([
      'sensors.1.sensor: duplicate sensor id',
    ]);
    const coefficients = message({
      sensors: [{ sensor: 's1', calibration: { date: '2025-01-01', coefficients: { slope: 'steep' } } }],
    });
    expect(issues(coefficients)[0]).toMatch(/^sensors\.0\.calibration\.coefficients\.slope:/);
  });

  it('decodes into a PAYLOAD_INVALID refusal whose reason names the field', () => {
    const bytes = Buffer.from(
      JSON.stringify(message({ gateway: { position: { latitude: 100, longitude: 0 } } })),
    );
    const decoded = decodePayload(MetaMessageSchema, bytes);
    expect(decoded).toMatchObject({ ok: false, code: 'PAYLOAD_INVALID' });
    if (!decoded.ok)
      expect(decoded.reason).toContain('gateway.position.latitude: must be between -90 and 90');
  });
});
