import { describe, expect, it } from 'vitest';
import {
  AlertEventSchema,
  alertActionTopic,
  alertTopic,
  DELIVERY,
  gatewayTopic,
  HealthSchema,
  parseAlertActionTopic,
  parseAlertTopic,
  parseGatewayTopic,
  StatusSchema,
  TopicError,
} from '../../../protocol/index.js';

describe('topics', () => {
  it('builds and parses gateway topics', () => {
    const topic = gatewayTopic({ station: 'jinfo', gateway: 'cave-gw-1' }, 'readings');
    expect(topic).toBe('fs/v1/jinfo/cave-gw-1/readings');
    expect(parseGatewayTopic(topic)).toEqual({ station: 'jinfo', gateway: 'cave-gw-1', kind: 'readings' });
  });

  it('refuses ids that would put a wildcard or separator into a topic', () => {
    for (const gateway of ['+', '#', 'a/b', 'A', '', '-x']) {
      expect(() => gatewayTopic({ station: 'jinfo', gateway }, 'status')).toThrow(TopicError);
    }
  });

  it('parses nothing outside the contract', () => {
    for (const topic of [
      'fs/v1/jinfo/gw/unknown',
      'fs/v2/jinfo/gw/readings',
      'fs/v1/jinfo/gw/readings/extra',
      'fs/v1/alerts/gw/readings',
      'fs/v1/Jinfo/gw/readings',
    ]) {
      expect(parseGatewayTopic(topic)).toBeUndefined();
    }
  });

  it('builds and parses alert topics', () => {
    const topic = alertTopic({ station: 'xuefeng', rule: 'conductor-icing' });
    expect(topic).toBe('fs/v1/alerts/xuefeng/conductor-icing');
    expect(parseAlertTopic(topic)).toEqual({ station: 'xuefeng', rule: 'conductor-icing' });
    expect(parseAlertTopic('fs/v1/xuefeng/gw/status')).toBeUndefined();
  });

  it('retains status and alerts but not readings', () => {
    expect(DELIVERY.readings).toEqual({ qos: 1, retain: false });
    expect(DELIVERY.status.retain).toBe(true);
    expect(DELIVERY.alert.retain).toBe(true);
  });
});

describe('status, health and alert schemas', () => {
  it('accepts the Last Will payload', () => {
    expect(StatusSchema.parse({ v: 1, state: 'offline' })).toEqual({ v: 1, state: 'offline' });
  });

  it('accepts a health message and refuses negative counters', () => {
    const health = {
      v: 1,
      time: 1764194400000,
      uptimeS: 12.5,
      outbox: { pendingMessages: 0, diskBytes: 0, droppedMessages: 0, droppedReadings: 0 },
      published: { messages: 3, readings: 30 },
      sensors: [{ sensor: 'cave-co2-1', samples: 10, errors: 0 }],
    };
    expect(HealthSchema.safeParse(health).success).toBe(true);
    expect(HealthSchema.safeParse({ ...health, uptimeS: -1 }).success).toBe(false);
  });

  it('accepts an alert event, a threshold event when it names no kind (as before rule kinds)', () => {
    const event = {
      v: 1,
      station: 'jinfo',
      rule: 'cave-co2-high',
      state: 'firing',
      severity: 'warning',
      message: 'jinfo cave-co2-1: co2 5210 [ppm] above 5000 [ppm]',
      gateway: 'cave-gw-1',
      sensor: 'cave-co2-1',
      quantity: 'co2',
      unit: '[ppm]',
      value: 5210,
      op: 'above',
      threshold: 5000,
      time: 1764194400000,
      since: 1764194400000,
    };
    expect(AlertEventSchema.parse(event)).toEqual({ ...event, kind: 'threshold' });
  });

  it('parses the topics of acknowledgements, silences and deliveries, and only those', () => {
    const rule = { station: 'xuefeng', rule: 'conductor-icing' };
    expect(alertActionTopic(rule, 'ack')).toBe('fs/v1/alerts/xuefeng/conductor-icing/ack');
    expect(parseAlertActionTopic('fs/v1/alerts/xuefeng/conductor-icing/silence')).toEqual({
      ...rule,
      kind: 'silence',
    });
    expect(parseAlertActionTopic('fs/v1/alerts/xuefeng/conductor-icing')).toBeUndefined();
    expect(parseAlertActionTopic('fs/v1/alerts/xuefeng/conductor-icing/other')).toBeUndefined();
    expect(parseAlertTopic('fs/v1/alerts/xuefeng/conductor-icing/ack')).toBeUndefined();
  });
});
