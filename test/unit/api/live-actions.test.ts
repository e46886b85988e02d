import { describe, expect, it } from 'vitest';
import { applyLiveMessage } from '../../../api/live/live-messages.js';
import { LiveStore } from '../../../api/live/live-store.js';
import { LogRecorder } from '../../harness/log-recorder.js';

const NOW = Date.UTC(2026, 10, 27, 12);
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const ACK = { v: 1, station: 'jinfo', rule: 'co2-high', since: NOW - 60_000, by: 'ana', time: NOW - 1000 };
const SILENCE = {
  v: 1,
  station: 'jinfo',
  rule: 'co2-high',
  until: NOW + 3_600_000,
  by: 'li',
  comment: 'pump swap',
  time: NOW - 500,
};
const address = { station: 'jinfo', rule: 'co2-high' };

function setup() {
  const logs = new LogRecorder();
  const logger = logs.logger();
  const store = new LiveStore(() => NOW);
  const apply = (topic: string, payload: Buffer) => applyLiveMessage(store, topic, payload, logger);
  return { logs, store, apply };
}

describe('live acks and silences from their retained topics', () => {
  it('keeps the ack and the silence of a rule, and lists silences', () => {
    const { store, apply } = setup();
    apply('fs/v1/alerts/jinfo/co2-high/ack', json(ACK));
    apply('fs/v1/alerts/jinfo/co2-high/silence', json(SILENCE));
    expect(store.ack(address)).toMatchObject({ by: 'ana', since: NOW - 60_000 });
    expect(store.silence(address)).toMatchObject({ by: 'li', until: NOW + 3_600_000 });
    expect(store.silences()).toHaveLength(1);
  });

  it('forgets them on an empty retained payload (a lift)', () => {
    const { store, apply } = setup();
    apply('fs/v1/alerts/jinfo/co2-high/ack', json(ACK));
    apply('fs/v1/alerts/jinfo/co2-high/silence', json(SILENCE));
    apply('fs/v1/alerts/jinfo/co2-high/silence', Buffer.alloc(0));
    apply('fs/v1/alerts/jinfo/co2-high/ack', Buffer.alloc(0));
    expect(store.silence(address)).toBeUndefined();
    expect(store.ack(address)).toBeUndefined();
  });

  it('keeps the newer of two acks whatever order they arrive in', () => {
    const { store, apply } = setup();
    apply('fs/v1/alerts/jinfo/co2-high/ack', json({ ...ACK, by: 'newer', time: NOW }));
    apply('fs/v1/alerts/jinfo/co2-high/ack', json(ACK));
    expect(store.ack(address)?.by).toBe('newer');
  });

  it('ignores and logs invalid ones and those naming another rule than their topic', () => {
    const { logs, store, apply } = setup();
    apply('fs/v1/alerts/jinfo/co2-high/ack', json({ ...ACK, by: '' }));
    apply('fs/v1/alerts/jinfo/co2-high/silence', json({ ...SILENCE, rule: 'other' }));
    apply('fs/v1/alerts/jinfo/co2-high/silence', Buffer.from('{not json'));
    expect(store.ack(address)).toBeUndefined();
    expect(store.silence(address)).toBeUndefined();
    const refused = logs.records.filter((r) => r.msg === 'ignored an invalid live message');
    expect(refused.map((r) => r.code)).toEqual(['PAYLOAD_INVALID', 'PAYLOAD_INVALID', 'PAYLOAD_NOT_JSON']);
    expect(refused.map((r) => r.topic)).toContain('fs/v1/alerts/jinfo/co2-high/silence');
  });

  it('ignores delivery records quietly: they are for the history', () => {
    const { logs, store, apply } = setup();
    apply('fs/v1/alerts/jinfo/co2-high/delivery', json({ anything: true }));
    expect(store.alerts()).toEqual([]);
    expect(logs.records.filter((r) => r.msg === 'ignored an invalid live message')).toEqual([]);
  });
});
