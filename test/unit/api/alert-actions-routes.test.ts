import pino from 'pino';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../api/app.js';
import {
  type ActionPublisher,
  type AlertActionMessage,
  actionPacket,
  mqttUnreachable,
} from '../../../api/live/action-publisher.js';
import { applyLiveMessage } from '../../../api/live/live-messages.js';
import { LiveStore } from '../../../api/live/live-store.js';
import type { QueryPort } from '../../../api/ports.js';
import type { AlertEventInput } from '../../../protocol/index.js';
import { AlertEventSchema } from '../../../protocol/index.js';
import { asAdmin, TEST_KEYS } from '../../harness/api-keys.js';

const NOW = Date.UTC(2026, 10, 27, 12);
const logger = pino({ level: 'silent' });
const noQueries: QueryPort = {
  query: () => Promise.reject(new Error('unused')),
  stream: () => {
    throw new Error('unused');
  },
  ping: () => Promise.reject(new Error('unused')),
};

/** Takes what the routes publish and, like the broker and the live subscription, feeds it back. */
class FakePublisher implements ActionPublisher {
  readonly published: AlertActionMessage[] = [];
  failing = new Set<string>();
  constructor(private readonly store: LiveStore) {}
  async publish(message: AlertActionMessage): Promise<void> {
    const packet = actionPacket(message);
    if (this.failing.has(packet.topic)) throw mqttUnreachable('did not confirm the message');
    this.published.push(message);
    applyLiveMessage(this.store, packet.topic, Buffer.from(packet.payload), logger);
  }
}

function event(rule: string, state: 'firing' | 'clear', since = NOW - 600_000): AlertEventInput {
  return {
    v: 1,
    station: 'jinfo',
    rule,
    state,
    severity: 'warning',
    message: `${rule} ${state}`,
    time: NOW - 1000,
    since,
  };
}

let store: LiveStore;
let publisher: FakePublisher;
let app: ReturnType<typeof buildApp>;

beforeEach(async () => {
  store = new LiveStore(() => NOW);
  store.applyAlert(AlertEventSchema.parse(event('co2-high', 'firing')));
  store.applyAlert(AlertEventSchema.parse(event('drip-low', 'clear')));
  publisher = new FakePublisher(store);
  await app?.close();
  app = buildApp({
    keys: TEST_KEYS.store,
    queries: noQueries,
    live: store,
    logger,
    publisher,
    now: () => NOW,
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
});

describe('POST /v1/alerts/{station}/{rule}/ack', () => {
  it('publishes an ack for the firing episode and returns it; GET /v1/alerts shows who is on it', async () => {
    const response = await asAdmin(app).inject({
      method: 'POST',
      url: '/v1/alerts/jinfo/co2-high/ack',
      payload: { by: 'ana', comment: 'on my way' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      station: 'jinfo',
      rule: 'co2-high',
      since: new Date(NOW - 600_000).toISOString(),
      by: 'ana',
      comment: 'on my way',
      time: new Date(NOW).toISOString(),
    });
    expect(publisher.published).toEqual([
      {
        kind: 'ack',
        body: {
          v: 1,
          station: 'jinfo',
          rule: 'co2-high',
          since: NOW - 600_000,
          by: 'ana',
          comment: 'on my way',
          time: NOW,
        },
      },
    ]);
    const list = (await asAdmin(app).inject('/v1/alerts')).json();
    expect(list.alerts[0]).toMatchObject({
      rule: 'co2-high',
      ack: { by: 'ana', time: new Date(NOW).toISOString(), comment: 'on my way' },
      silence: null,
    });
  });

  it('does not show an ack of an earlier episode', async () => {
    await asAdmin(app).inject({
      method: 'POST',
      url: '/v1/alerts/jinfo/co2-high/ack',
      payload: { by: 'ana' },
    });
    store.applyAlert(AlertEventSchema.parse(event('co2-high', 'firing', NOW - 10)));
    const list = (await asAdmin(app).inject('/v1/alerts')).json();
    expect(list.alerts[0].ack).toBeNull();
  });

  it('answers 404 for a rule never heard of and 409 for one that is clear', async () => {
    const unknown = await asAdmin(app).inject({
      method: 'POST',
      url: '/v1/alerts/jinfo/nope/ack',
      payload: { by: 'ana' },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'ALERT_RULE_UNKNOWN' });
    const clear = await asAdmin(app).inject({
      method: 'POST',
      url: '/v1/alerts/jinfo/drip-low/ack',
      payload: { by: 'ana' },
    });
    expect(clear.statusCode).toBe(409);
    expect(clear.json()).toMatchObject({ code: 'ALERT_NOT_FIRING' });
    expect(publisher.published).toEqual([]);
  });

  it('refuses hostile input with 400s naming the field, publishing nothing', async () => {
    const cases = [
      { url: '/v1/alerts/jinfo/co2-high/ack', payload: { by: 'x'.repeat(101) }, field: 'by' },
      { url: '/v1/alerts/jinfo/co2-high/ack', payload: { by: '   ' }, field: 'by' },
      {
        url: '/v1/alerts/jinfo/co2-high/ack',
        payload: { by: 'a', comment: 'c'.repeat(501) },
        field: 'comment',
      },
      { url: '/v1/alerts/jinfo/co2-high/ack', payload: { by: 'a', extra: 1 }, field: '(request)' },
      { url: '/v1/alerts/jinfo/co2-high/ack', payload: {}, field: 'by' },
      { url: '/v1/alerts/Jinfo/co2-high/ack', payload: { by: 'a' }, field: 'station' },
      { url: '/v1/alerts/jinfo/%2B/ack', payload: { by: 'a' }, field: 'rule' },
      { url: '/v1/alerts/jinfo/co2%23high/ack', payload: { by: 'a' }, field: 'rule' },
    ];
    for (const { url, payload, field } of cases) {
      const response = await asAdmin(app).inject({ method: 'POST', url, payload });
      expect(response.statusCode, url + JSON.stringify(payload)).toBe(400);
      expect(response.json().code).toBe('PARAMETER_INVALID');
      expect(response.json().errors.map((e: { parameter: string }) => e.parameter)).toContain(field);
    }
    expect(publisher.published).toEqual([]);
  });

  it('answers 503 when the broker does not confirm', async () => {
    publisher.failing.add('fs/v1/alerts/jinfo/co2-high/ack');
    const response = await asAdmin(app).inject({
      method: 'POST',
      url: '/v1/alerts/jinfo/co2-high/ack',
      payload: { by: 'a' },
    });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'MQTT_UNREACHABLE' });
  });

  it('answers 503 from an app built without a publisher', async () => {
    const bare = buildApp({ keys: TEST_KEYS.store, queries: noQueries, live: store, logger });
    const response = await asAdmin(bare).inject({
      method: 'POST',
      url: '/v1/alerts/jinfo/co2-high/ack',
      payload: { by: 'a' },
    });
    expect(response.statusCode).toBe(503);
    await bare.close();
  });
});

describe('silences', () => {
  it('silences a rule for a duration, lists it, shows it on the alert, and lifts it', async () => {
    const set = await asAdmin(app).inject({
      method: 'PUT',
      url: '/v1/alerts/jinfo/co2-high/silence',
      payload: { for: '2h', by: 'li', comment: 'pump swap' },
    });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ until: new Date(NOW + 7_200_000).toISOString(), by: 'li' });
    expect((await asAdmin(app).inject('/v1/alerts/silences')).json().silences).toHaveLength(1);
    expect((await asAdmin(app).inject('/v1/alerts')).json().alerts[0].silence).toEqual({
      until: new Date(NOW + 7_200_000).toISOString(),
      by: 'li',
      comment: 'pump swap',
    });

    const lifted = await asAdmin(app).inject({ method: 'DELETE', url: '/v1/alerts/jinfo/co2-high/silence' });
    expect(lifted.statusCode).toBe(200);
    expect(lifted.json()).toMatchObject({ lifted: true, previous: { by: 'li' } });
    expect(publisher.published.at(-1)).toEqual({
      kind: 'lift',
      address: { station: 'jinfo', rule: 'co2-high' },
    });
    expect((await asAdmin(app).inject('/v1/alerts/silences')).json().silences).toEqual([]);
  });

  it('takes an until, and refuses one in the past, one past 30 days, both until and for, or neither', async () => {
    const ok = await asAdmin(app).inject({
      method: 'PUT',
      url: '/v1/alerts/jinfo/drip-low/silence',
      payload: { until: new Date(NOW + 3_600_000).toISOString(), by: 'li' },
    });
    expect(ok.statusCode).toBe(200);
    for (const payload of [
      { until: new Date(NOW - 1).toISOString(), by: 'li' },
      { until: '2099-01-01T00:00:00Z', by: 'li' },
      { until: 'tomorrow', by: 'li' },
      { for: '31d', by: 'li' },
      { for: '2 hours', by: 'li' },
      { for: '2h', until: new Date(NOW + 1000).toISOString(), by: 'li' },
      { by: 'li' },
    ]) {
      const response = await asAdmin(app).inject({
        method: 'PUT',
        url: '/v1/alerts/jinfo/co2-high/silence',
        payload,
      });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().code).toBe('PARAMETER_INVALID');
    }
  });

  it('answers 404 for silencing or lifting a rule never heard of', async () => {
    const put = await asAdmin(app).inject({
      method: 'PUT',
      url: '/v1/alerts/jinfo/nope/silence',
      payload: { for: '1h', by: 'a' },
    });
    expect(put.statusCode).toBe(404);
    const lift = await asAdmin(app).inject({ method: 'DELETE', url: '/v1/alerts/jinfo/nope/silence' });
    expect(lift.statusCode).toBe(404);
  });

  it('silences every known rule of a station for maintenance, one retained silence each', async () => {
    const response = await asAdmin(app).inject({
      method: 'PUT',
      url: '/v1/alerts/jinfo/silence',
      payload: { for: '4h', by: 'crew', comment: 'annual service' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().silences.map((s: { rule: string }) => s.rule)).toEqual(['co2-high', 'drip-low']);
    expect(publisher.published.map((m) => m.kind)).toEqual(['silence', 'silence']);
    const unknown = await asAdmin(app).inject({
      method: 'PUT',
      url: '/v1/alerts/xuefeng/silence',
      payload: { for: '4h', by: 'a' },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('ALERT_STATION_UNKNOWN');
  });

  it('names the rules not silenced when the broker takes only some', async () => {
    publisher.failing.add('fs/v1/alerts/jinfo/drip-low/silence');
    const response = await asAdmin(app).inject({
      method: 'PUT',
      url: '/v1/alerts/jinfo/silence',
      payload: { for: '4h', by: 'a' },
    });
    expect(response.statusCode).toBe(503);
    expect(response.json().detail).toMatch(/drip-low.*\(co2-high are silenced\)/);
  });
});

describe('OpenAPI document', () => {
  it('describes the write routes with the technician role they need', async () => {
    const document = (await asAdmin(app).inject('/openapi.json')).json();
    const ack = document.paths['/v1/alerts/{station}/{rule}/ack'].post;
    expect(ack.description).toMatch(/technician or admin key/);
    expect(document.paths['/v1/alerts/{station}/silence'].put.description).toMatch(/every rule/);
    expect(document.paths['/v1/alerts/history'].get).toBeDefined();
    expect(document.paths['/v1/alerts/silences'].get).toBeDefined();
  });
});
