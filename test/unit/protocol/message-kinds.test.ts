import { describe, expect, it } from 'vitest';
import {
  ALERT_ACTION_KINDS,
  AlertEventSchema,
  DELIVERY,
  decodeKind,
  GATEWAY_KINDS,
  MESSAGE_KINDS,
  type MessageKind,
  parseAlertActionTopic,
  parseAlertTopic,
  parseGatewayTopic,
  ReadingsBatchSchema,
  SUBSCRIPTIONS,
} from '../../../protocol/index.js';

const GATEWAY = { station: 'jinfo', gateway: 'gw-1' };
const RULE = { station: 'jinfo', rule: 'co2-high' };
const KINDS = Object.keys(MESSAGE_KINDS) as MessageKind[];

/** Whether an MQTT filter (`+` one level, `#` the rest) matches a topic. */
function matches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i += 1) {
    if (f[i] === '#') return true;
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}

describe('MESSAGE_KINDS', () => {
  it('has one entry for every kind the topics define, and no other', () => {
    expect([...KINDS].sort()).toEqual([...GATEWAY_KINDS, 'alert', ...ALERT_ACTION_KINDS].sort());
  });

  it("builds each gateway kind's topic so that the parser reads the same kind back", () => {
    for (const kind of GATEWAY_KINDS) {
      const topic = MESSAGE_KINDS[kind].topic(GATEWAY);
      expect(parseGatewayTopic(topic)).toEqual({ ...GATEWAY, kind });
      expect(matches(SUBSCRIPTIONS[kind], topic)).toBe(true);
    }
  });

  it("builds the rules' topics so that the alert parsers read them back", () => {
    expect(parseAlertTopic(MESSAGE_KINDS.alert.topic(RULE))).toEqual(RULE);
    expect(matches(SUBSCRIPTIONS.alertEvents, MESSAGE_KINDS.alert.topic(RULE))).toBe(true);
    for (const kind of ALERT_ACTION_KINDS) {
      const topic = MESSAGE_KINDS[kind].topic(RULE);
      expect(parseAlertActionTopic(topic)).toEqual({ ...RULE, kind });
      expect(matches(SUBSCRIPTIONS.alertActions, topic)).toBe(true);
    }
  });

  it('keeps the delivery of the design brief: readings QoS 1 not retained, status retained, health QoS 0', () => {
    expect(MESSAGE_KINDS.readings).toMatchObject({ qos: 1, retain: false, schema: ReadingsBatchSchema });
    expect(MESSAGE_KINDS.status).toMatchObject({ qos: 1, retain: true });
    expect(MESSAGE_KINDS.health).toMatchObject({ qos: 0, retain: false });
    expect(MESSAGE_KINDS.alert).toMatchObject({ qos: 1, retain: true, schema: AlertEventSchema });
  });

  it('derives DELIVERY from the table, with nothing but QoS and retain in it', () => {
    for (const kind of KINDS) {
      expect(DELIVERY[kind]).toEqual({ qos: MESSAGE_KINDS[kind].qos, retain: MESSAGE_KINDS[kind].retain });
    }
    expect(Object.isFrozen(DELIVERY)).toBe(true);
  });
});

describe('decodeKind', () => {
  it("validates against the kind's own schema", () => {
    const batch = {
      v: 1,
      seq: 3,
      readings: [{ sensor: 's', quantity: 'co2', unit: '[ppm]', value: 1, time: 1764194400000 }],
    };
    const decoded = decodeKind('readings', Buffer.from(JSON.stringify(batch)));
    expect(decoded).toMatchObject({ ok: true, value: { seq: 3, readings: [{ qc: 2 }] } });
    // The same payload is no status message.
    expect(decodeKind('status', Buffer.from(JSON.stringify(batch)))).toMatchObject({
      ok: false,
      code: 'PAYLOAD_INVALID',
    });
  });
});
