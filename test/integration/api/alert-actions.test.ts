import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ApiApp, buildApp } from '../../../api/app.js';
import { LiveSubscriber } from '../../../api/live/live-subscriber.js';
import { IngestConfigSchema, IngestService } from '../../../ingest/index.js';
import {
  AlertAckSchema,
  type AlertDelivery,
  alertActionTopic,
  alertTopic,
  gatewayTopic,
} from '../../../protocol/index.js';
import { asAdmin, TEST_KEYS } from '../../harness/api-keys.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';
import { tempDir } from '../../harness/temp-dir.js';
import { connectClient, startTestBroker, type TestBroker } from '../ingest/test-broker.js';

const logger = pino({ level: 'silent' });
const RULE = { station: 'jinfo', rule: 'cave-co2-high' };
const RULES = `rules:
  - id: cave-co2-high
    station: jinfo
    quantity: co2
    op: above
    threshold: 5000
    clearAt: 4500
`;
const WAIT = { timeout: 15_000 };

let influx: TestInflux;
let broker: TestBroker;
let ingest: IngestService;
let live: LiveSubscriber;
let app: ApiApp;
let gateway: MqttClient;
let notifier: MqttClient;

beforeAll(async () => {
  [influx, broker] = await Promise.all([startTestInflux('fieldstation_actions'), startTestBroker()]);
  const dir = await mkdtemp(join(tmpdir(), 'fs-alert-actions-'));
  await writeFile(join(dir, 'alerts.yaml'), RULES);
  ingest = new IngestService({
    config: IngestConfigSchema.parse({
      dataDir: tempDir('fs-ingest'),
      mqtt: { url: broker.url, clientId: 'fs-ingest-actions' },
      influx: influx.config,
      alertsFile: join(dir, 'alerts.yaml'),
    }),
    logger,
    influx: influx.connection,
  });
  await ingest.start();
  live = new LiveSubscriber({ mqtt: { url: broker.url, clientId: 'fs-api-actions' }, logger });
  await live.start();
  app = buildApp({
    keys: TEST_KEYS.store,
    queries: influx.connection.queries,
    live: live.store,
    publisher: live,
    logger,
  });
  await app.ready();
  gateway = await connectClient(broker.url, 'cave-gw-1');
  notifier = await connectClient(broker.url, 'fs-notify-test');
}, 60_000);

afterAll(async () => {
  await notifier?.endAsync();
  await gateway?.endAsync();
  await app?.close();
  await live?.stop();
  await ingest?.stop();
  await broker?.close();
  await influx?.stop();
});

let seq = 0;
/** A reading sampled now, so the rule's events and the people's actions fall in the order they happen. */
async function co2(value: number): Promise<number> {
  const time = await afterLast();
  seq++;
  const batch = {
    v: 1,
    seq,
    readings: [{ sensor: 'cave-co2-1', quantity: 'co2', unit: '[ppm]', value, time }],
  };
  await gateway.publishAsync(
    gatewayTopic({ station: 'jinfo', gateway: 'cave-gw-1' }, 'readings'),
    JSON.stringify(batch),
    {
      qos: 1,
    },
  );
  return time;
}

let last = 0;
/** Waits (a few microtask turns, no fixed sleep) until the clock has moved past the last step's millisecond. */
async function afterLast(): Promise<number> {
  while (Date.now() <= last) await new Promise((resolve) => setImmediate(resolve));
  last = Date.now();
  return last;
}

/** A client that subscribes only now: what it gets at once is what the broker keeps retained. */
async function retainedOn(topic: string): Promise<{ payload: string; retain: boolean }> {
  const late = await connectClient(broker.url, `late-${Math.random().toString(36).slice(2)}`);
  try {
    const received = new Promise<{ payload: string; retain: boolean }>((resolve) =>
      late.once('message', (_topic, payload, packet) =>
        resolve({ payload: payload.toString(), retain: packet.retain }),
      ),
    );
    await late.subscribeAsync(topic, { qos: 1 });
    return await received;
  } finally {
    await late.endAsync();
  }
}

async function history(query = 'station=jinfo&rule=cave-co2-high') {
  const response = await asAdmin(app).inject(`/v1/alerts/history?${query}`);
  expect(response.statusCode).toBe(200);
  return response.json() as { entries: { type: string; by?: string }[]; next: string | null };
}

describe('acknowledge, silence and history against a real broker, ingest and influxd', () => {
  it('acks and silences a firing rule, and the history holds fire, ack, silence, delivery and clear', async () => {
    await co2(5600);
    await vi.waitFor(async () => {
      expect((await asAdmin(app).inject('/v1/alerts')).json().alerts).toMatchObject([
        { ...RULE, state: 'firing' },
      ]);
    }, WAIT);

    await afterLast();
    const ack = await asAdmin(app).inject({
      method: 'POST',
      url: '/v1/alerts/jinfo/cave-co2-high/ack',
      payload: { by: 'ana', comment: 'driving up' },
    });
    expect(ack.statusCode).toBe(200);
    const retainedAck = await retainedOn(alertActionTopic(RULE, 'ack'));
    expect(retainedAck.retain).toBe(true);
    expect(AlertAckSchema.parse(JSON.parse(retainedAck.payload))).toMatchObject({ ...RULE, by: 'ana' });
    expect((await asAdmin(app).inject('/v1/alerts')).json().alerts[0].ack).toMatchObject({
      by: 'ana',
      comment: 'driving up',
    });
    await vi.waitFor(
      async () => expect(await influx.rows('SELECT * FROM alert_ack')).toMatchObject([{ by: 'ana' }]),
      WAIT,
    );

    await afterLast();
    const silence = await asAdmin(app).inject({
      method: 'PUT',
      url: '/v1/alerts/jinfo/cave-co2-high/silence',
      payload: { for: '2h', by: 'li', comment: 'fan repair' },
    });
    expect(silence.statusCode).toBe(200);
    expect((await retainedOn(alertActionTopic(RULE, 'silence'))).retain).toBe(true);
    expect((await asAdmin(app).inject('/v1/alerts/silences')).json().silences).toMatchObject([
      { ...RULE, by: 'li' },
    ]);
    expect((await asAdmin(app).inject('/v1/alerts')).json().alerts[0].silence).toMatchObject({ by: 'li' });

    // What the notifier publishes after trying to send a notification.
    const delivery: AlertDelivery = {
      v: 1,
      ...RULE,
      id: 'n-1',
      channel: 'email',
      subscriber: 'night-shift',
      reason: 'firing',
      outcome: 'sent',
      attempt: 1,
      since: JSON.parse(retainedAck.payload).since,
      time: await afterLast(),
    };
    await notifier.publishAsync(alertActionTopic(RULE, 'delivery'), JSON.stringify(delivery), { qos: 1 });

    await co2(4000);
    await vi.waitFor(async () => {
      expect((await history()).entries.map((entry) => entry.type)).toEqual([
        'clear',
        'delivery',
        'silence',
        'ack',
        'fire',
      ]);
    }, WAIT);
    expect((await asAdmin(app).inject('/v1/alerts')).json().alerts).toEqual([]);
    // The fire, its clear, the ack and the delivery all name the one episode.
    const entries = (await history()).entries as { type: string; since?: string }[];
    const episode = new Date(JSON.parse(retainedAck.payload).since).toISOString();
    expect(entries.filter((entry) => entry.type !== 'silence').map((entry) => entry.since)).toEqual(
      Array(4).fill(episode),
    );

    // Pages of two walk the same five entries.
    const types: string[] = [];
    let url: string | null = '/v1/alerts/history?station=jinfo&rule=cave-co2-high&limit=2';
    while (url !== null) {
      const page = (await asAdmin(app).inject(url)).json() as {
        entries: { type: string }[];
        next: string | null;
      };
      types.push(...page.entries.map((entry) => entry.type));
      url = page.next;
    }
    expect(types).toEqual(['clear', 'delivery', 'silence', 'ack', 'fire']);
  });

  it('gives a restarted API the ack and the silence from their retained messages', async () => {
    const restarted = new LiveSubscriber({ mqtt: { url: broker.url, clientId: 'fs-api-restarted' }, logger });
    await restarted.start();
    try {
      await vi.waitFor(() => {
        expect(restarted.store.ack(RULE)).toMatchObject({ by: 'ana' });
        expect(restarted.store.silence(RULE)).toMatchObject({ by: 'li' });
      }, WAIT);
    } finally {
      await restarted.stop();
    }
  });

  it('answers 409 for a rule that is clear, 404 for one never heard of, 400 for hostile input', async () => {
    await vi.waitFor(async () => {
      expect((await asAdmin(app).inject('/v1/alerts')).json().alerts).toEqual([]);
    }, WAIT);
    const clear = await asAdmin(app).inject({
      method: 'POST',
      url: '/v1/alerts/jinfo/cave-co2-high/ack',
      payload: { by: 'a' },
    });
    expect(clear.statusCode).toBe(409);
    expect(clear.json()).toMatchObject({ code: 'ALERT_NOT_FIRING' });
    const unknown = await asAdmin(app).inject({
      method: 'POST',
      url: '/v1/alerts/jinfo/no-such-rule/ack',
      payload: { by: 'a' },
    });
    expect(unknown.statusCode).toBe(404);
    for (const [url, payload] of [
      ['/v1/alerts/jinfo/cave-co2-high/silence', { by: 'a', until: '2020-01-01T00:00:00Z' }],
      ['/v1/alerts/jinfo/cave-co2-high/silence', { by: 'a', until: '2090-01-01T00:00:00Z' }],
      ['/v1/alerts/jinfo/cave-co2-high/silence', { by: 'x'.repeat(5000), for: '1h' }],
      ['/v1/alerts/jinfo/cave-co2-high/silence', { by: 'a', for: '1h', comment: 'c'.repeat(5000) }],
      ['/v1/alerts/jinfo/..%2Fcave/silence', { by: 'a', for: '1h' }],
      ['/v1/alerts/JINFO/silence', { by: 'a', for: '1h' }],
    ] as const) {
      const response = await asAdmin(app).inject({ method: 'PUT', url, payload });
      expect(response.statusCode, url).toBe(400);
      expect(response.json()).toMatchObject({ code: 'PARAMETER_INVALID', detail: expect.any(String) });
    }
    const history400 = await asAdmin(app).inject("/v1/alerts/history?station=jinfo'%20OR%201%3D1");
    expect(history400.statusCode).toBe(400);
  });

  it('lifts a silence with an empty retained payload, which the ingest records as a lift', async () => {
    const watcher = await connectClient(broker.url, 'lift-watcher');
    const emptied = new Promise<number>((resolve) =>
      watcher.on('message', (_topic, payload) => {
        if (payload.byteLength === 0) resolve(payload.byteLength);
      }),
    );
    await watcher.subscribeAsync(alertActionTopic(RULE, 'silence'), { qos: 1 });
    const lifted = await asAdmin(app).inject({
      method: 'DELETE',
      url: '/v1/alerts/jinfo/cave-co2-high/silence',
    });
    expect(lifted.statusCode).toBe(200);
    expect(lifted.json()).toMatchObject({ lifted: true, previous: { by: 'li' } });
    await emptied;
    await watcher.endAsync();
    expect((await asAdmin(app).inject('/v1/alerts/silences')).json().silences).toEqual([]);
    await vi.waitFor(async () => expect((await history()).entries[0]?.type).toBe('lift'), WAIT);
  });

  it('silences every known rule of a station for maintenance, each retained', async () => {
    const response = await asAdmin(app).inject({
      method: 'PUT',
      url: '/v1/alerts/jinfo/silence',
      payload: { until: new Date(Date.now() + 86_400_000).toISOString(), by: 'crew', comment: 'service' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().silences).toMatchObject([{ ...RULE, by: 'crew' }]);
    const retained = await retainedOn(alertActionTopic(RULE, 'silence'));
    expect(retained.retain).toBe(true);
    expect(JSON.parse(retained.payload)).toMatchObject({ by: 'crew', comment: 'service' });
    const unknown = await asAdmin(app).inject({
      method: 'PUT',
      url: '/v1/alerts/xuefeng/silence',
      payload: { for: '1h', by: 'crew' },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('quarantines an ack whose payload names another rule than its topic', async () => {
    const ack = {
      v: 1,
      station: 'jinfo',
      rule: 'other-rule',
      since: Date.now(),
      by: 'mallory',
      time: Date.now(),
    };
    await notifier.publishAsync(alertActionTopic(RULE, 'ack'), JSON.stringify(ack), { qos: 1 });
    await vi.waitFor(async () => {
      const records = (await asAdmin(app).inject('/v1/quarantine')).json().records as {
        topic: string;
        code: string;
      }[];
      expect(records).toContainEqual(
        expect.objectContaining({ code: 'PAYLOAD_INVALID', topic: alertActionTopic(RULE, 'ack') }),
      );
    }, WAIT);
    // The live view ignored it too: the earlier ack by ana stays.
    expect(live.store.ack(RULE)?.by).toBe('ana');
    expect(alertTopic(RULE)).toBe('fs/v1/alerts/jinfo/cave-co2-high');
  });
});
