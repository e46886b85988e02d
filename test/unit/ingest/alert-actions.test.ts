import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { alertActionLine } from '../../../ingest/pipeline/action-lines.js';
import { decodeAlertAction } from '../../../ingest/pipeline/decode-action.js';
import { MessageIngestor } from '../../../ingest/pipeline/ingest-message.js';
import { ReadingLimiter, ReadingLimitsSchema } from '../../../ingest/pipeline/reading-limits.js';
import { SequenceTracker } from '../../../ingest/sequence/sequence-tracker.js';
import type { AlertAck, AlertDelivery, AlertSilence } from '../../../protocol/index.js';

const T0 = 1764194400000;
const ACK_TOPIC = 'fs/v1/alerts/jinfo/co2-high/ack';
const SILENCE_TOPIC = 'fs/v1/alerts/jinfo/co2-high/silence';
const DELIVERY_TOPIC = 'fs/v1/alerts/jinfo/co2-high/delivery';
const ack: AlertAck = { v: 1, station: 'jinfo', rule: 'co2-high', since: T0, by: 'ana', time: T0 + 5000 };
const silence: AlertSilence = {
  v: 1,
  station: 'jinfo',
  rule: 'co2-high',
  until: T0 + 7_200_000,
  by: 'li',
  comment: 'pump swap, "north" cave',
  time: T0 + 6000,
};
const delivery: AlertDelivery = {
  v: 1,
  station: 'jinfo',
  rule: 'co2-high',
  id: 'n-1',
  channel: 'email',
  subscriber: 'night-shift',
  reason: 'firing',
  outcome: 'sent',
  attempt: 1,
  since: T0,
  time: T0 + 1000,
};
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('decodeAlertAction', () => {
  it('leaves topics other than a rule action to the gateway decoder', () => {
    expect(decodeAlertAction('fs/v1/jinfo/gw-1/readings', json({}))).toBeUndefined();
    expect(decodeAlertAction('fs/v1/alerts/jinfo/co2-high', json({}))).toBeUndefined();
  });

  it('decodes an ack, a silence, an empty silence (a lift) and a delivery', () => {
    expect(decodeAlertAction(ACK_TOPIC, json(ack))).toEqual({ ok: true, action: { kind: 'ack', body: ack } });
    expect(decodeAlertAction(SILENCE_TOPIC, json(silence))).toEqual({
      ok: true,
      action: { kind: 'silence', body: silence },
    });
    expect(decodeAlertAction(SILENCE_TOPIC, Buffer.alloc(0))).toEqual({
      ok: true,
      action: { kind: 'lift', address: { station: 'jinfo', rule: 'co2-high' } },
    });
    expect(decodeAlertAction(DELIVERY_TOPIC, json(delivery))).toMatchObject({ ok: true });
  });

  it('refuses a payload naming another rule than its topic', () => {
    const decoded = decodeAlertAction(ACK_TOPIC, json({ ...ack, rule: 'other' }));
    expect(decoded).toMatchObject({
      ok: false,
      code: 'PAYLOAD_INVALID',
      reason: expect.stringMatching(/topic/),
    });
  });

  it('refuses an invalid payload with the contract path at fault', () => {
    const decoded = decodeAlertAction(ACK_TOPIC, json({ ...ack, by: '' }));
    expect(decoded).toMatchObject({
      ok: false,
      code: 'PAYLOAD_INVALID',
      reason: expect.stringMatching(/^by:/),
    });
    expect(decodeAlertAction(DELIVERY_TOPIC, Buffer.alloc(0))).toMatchObject({ ok: false });
  });
});

describe('alertActionLine', () => {
  it('writes an ack at its time in ns with its episode', () => {
    expect(alertActionLine({ kind: 'ack', body: ack }, () => 0n)).toBe(
      `alert_ack,rule=co2-high,station=jinfo since=${T0}i,by="ana" ${T0 + 5000}000000`,
    );
  });

  it('writes a silence with its comment escaped, and marks an until not after its time as a lift', () => {
    expect(alertActionLine({ kind: 'silence', body: silence }, () => 0n)).toBe(
      `alert_silence,rule=co2-high,station=jinfo until=${T0 + 7_200_000}i,by="li",` +
        `comment="pump swap, \\"north\\" cave",lifted=f ${T0 + 6000}000000`,
    );
    const past = { ...silence, until: silence.time };
    expect(alertActionLine({ kind: 'silence', body: past }, () => 0n)).toMatch(/lifted=t /);
  });

  it('writes a lift at the time the caller gives', () => {
    const lift = { kind: 'lift', address: { station: 'jinfo', rule: 'co2-high' } } as const;
    expect(alertActionLine(lift, () => 42n)).toBe('alert_silence,rule=co2-high,station=jinfo lifted=t 42');
  });

  it('keeps two deliveries of one millisecond apart, and the same delivery on itself', () => {
    const first = alertActionLine({ kind: 'delivery', body: delivery }, () => 0n);
    const again = alertActionLine({ kind: 'delivery', body: { ...delivery } }, () => 1n);
    const other = alertActionLine(
      { kind: 'delivery', body: { ...delivery, subscriber: 'day-shift' } },
      () => 0n,
    );
    expect(first).toBe(again);
    expect(first.split(' ').at(-1)).not.toBe(other.split(' ').at(-1));
    expect(first).toMatch(
      /^alert_delivery,channel=email,outcome=sent,rule=co2-high,station=jinfo id="n-1",subscriber="night-shift",reason="firing",attempt=1i,since=\d+i \d+$/,
    );
    const ns = BigInt(first.split(' ').at(-1) ?? '0');
    expect(ns / 1_000_000n).toBe(BigInt(delivery.time));
  });
});

describe('MessageIngestor with alert actions', () => {
  function setup() {
    const appends: string[] = [];
    const ingestor = new MessageIngestor({
      spool: { append: async (text: string) => void appends.push(text) },
      logger: pino({ level: 'silent' }),
      sequences: new SequenceTracker(),
      limits: new ReadingLimiter(ReadingLimitsSchema.parse({})),
      now: () => T0 + 10_000,
    });
    return { appends, ingestor };
  }

  it('spools acks, silences, lifts and deliveries and counts them', async () => {
    const { appends, ingestor } = setup();
    for (const [topic, payload] of [
      [ACK_TOPIC, json(ack)],
      [SILENCE_TOPIC, json(silence)],
      [SILENCE_TOPIC, Buffer.alloc(0)],
      [DELIVERY_TOPIC, json(delivery)],
    ] as const) {
      await ingestor.ingest({ topic, payload, retained: false });
    }
    expect(appends.map((text) => text.split(',')[0])).toEqual([
      'alert_ack',
      'alert_silence',
      'alert_silence',
      'alert_delivery',
    ]);
    expect(appends[2]).toBe(`alert_silence,rule=co2-high,station=jinfo lifted=t ${T0 + 10_000}000000\n`);
    expect(ingestor.counters.alertActionsAccepted).toBe(4);
  });

  it('holds action times to the window readings are held to: decades of acks would open a shard per week', async () => {
    const { appends, ingestor } = setup();
    const old = { ...ack, since: Date.UTC(2001, 0, 1), time: Date.UTC(2001, 0, 1) };
    await ingestor.ingest({ topic: ACK_TOPIC, payload: json(old), retained: true });
    const ahead = { ...delivery, time: Date.UTC(2099, 0, 1) };
    await ingestor.ingest({ topic: DELIVERY_TOPIC, payload: json(ahead), retained: false });
    await ingestor.ingest({ topic: ACK_TOPIC, payload: json(ack), retained: true });
    expect(appends.map((text) => text.split(' ')[0])).toEqual([
      'quarantine,code=TIME_OUT_OF_RANGE,station=jinfo',
      'quarantine,code=TIME_OUT_OF_RANGE,station=jinfo',
      'alert_ack,rule=co2-high,station=jinfo',
    ]);
    expect(ingestor.counters.alertActionsAccepted).toBe(1);
  });

  it('quarantines a mismatched action under its station, and stores nothing for a removed ack', async () => {
    const { appends, ingestor } = setup();
    await ingestor.ingest({
      topic: ACK_TOPIC,
      payload: json({ ...ack, station: 'xuefeng' }),
      retained: true,
    });
    await ingestor.ingest({ topic: ACK_TOPIC, payload: Buffer.alloc(0), retained: false });
    expect(appends).toHaveLength(1);
    expect(appends[0]).toMatch(
      /^quarantine,code=PAYLOAD_INVALID,station=jinfo .*topic="fs\/v1\/alerts\/jinfo\/co2-high\/ack"/,
    );
    expect(ingestor.counters.quarantined).toEqual({ PAYLOAD_INVALID: 1 });
  });
});
