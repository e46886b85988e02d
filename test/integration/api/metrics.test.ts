import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiApp, buildApp } from '../../../api/app.js';
import { LiveStore } from '../../../api/live/live-store.js';
import type { QueryPort } from '../../../api/ports.js';
import type { MetricFamily, MetricSource } from '../../../metrics/metric-family.js';
import { asAdmin, bearer, TEST_KEYS } from '../../harness/api-keys.js';
import { parseExposition } from './prometheus-text.js';

const T0 = Date.UTC(2026, 0, 5, 8);

// /metrics never touches InfluxDB.
const noQueries: QueryPort = {
  query: () => Promise.reject(new Error('unused')),
  stream: () => {
    throw new Error('unused');
  },
  ping: () => Promise.reject(new Error('unused')),
};

/** A stand-in for what `fieldstation up` adapts from its other parts: a counter the test moves. */
class FakeSource implements MetricSource {
  written = 0;

  collect(): MetricFamily[] {
    return [
      {
        name: 'fieldstation_test_written_total',
        help: 'Readings written by the fake',
        type: 'counter',
        samples: [{ value: this.written }],
      },
      {
        name: 'fieldstation_test_odd_labels',
        help: 'Label values that need escaping',
        type: 'gauge',
        samples: [{ labels: { station: 'a"b\\c\nd' }, value: 1 }],
      },
    ];
  }
}

let app: ApiApp;
let live: LiveStore;
let fake: FakeSource;
let baseUrl: string;

beforeAll(async () => {
  live = new LiveStore(() => T0);
  live.setConnected(true);
  live.applyStatus({ station: 'jinfo', gateway: 'pi-1' }, { v: 1, state: 'online', time: T0 });
  live.applyStatus({ station: 'jinfo', gateway: 'pi-2' }, { v: 1, state: 'offline', time: T0 });
  fake = new FakeSource();
  app = buildApp({
    keys: TEST_KEYS.store,
    queries: noQueries,
    live,
    logger: pino({ level: 'silent' }),
    metrics: [fake],
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await app?.close();
});

async function scrape() {
  const response = await asAdmin(app).inject({ url: '/metrics' });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseExposition(response.body);
}

describe('GET /metrics', () => {
  it('serves the API gauges and the given sources in the text format, without authentication', async () => {
    const metrics = await scrape();
    expect(metrics.types.get('fieldstation_api_gateways')).toBe('gauge');
    expect(metrics.value('fieldstation_api_gateways', { station: 'jinfo', state: 'online' })).toBe(1);
    expect(metrics.value('fieldstation_api_gateways', { station: 'jinfo', state: 'offline' })).toBe(1);
    expect(metrics.value('fieldstation_api_mqtt_connected')).toBe(1);
    expect(metrics.value('fieldstation_api_alerts_firing')).toBe(0);
    expect(metrics.types.get('fieldstation_test_written_total')).toBe('counter');
    expect(metrics.helps.get('fieldstation_test_written_total')).toBe('Readings written by the fake');
    expect(metrics.value('fieldstation_test_odd_labels', { station: 'a"b\\c\nd' })).toBe(1);
  });

  it('reads the sources at every scrape', async () => {
    expect((await scrape()).value('fieldstation_test_written_total')).toBe(0);
    fake.written = 7;
    expect((await scrape()).value('fieldstation_test_written_total')).toBe(7);
  });

  it('counts clients of the alert stream while they are connected', async () => {
    const controller = new AbortController();
    const response = await fetch(`${baseUrl}/v1/alerts/stream`, {
      signal: controller.signal,
      headers: bearer(TEST_KEYS.admin),
    });
    expect(response.status).toBe(200);
    expect((await scrape()).value('fieldstation_api_alert_stream_clients')).toBe(1);
    controller.abort();
    await expect.poll(async () => (await scrape()).value('fieldstation_api_alert_stream_clients')).toBe(0);
  });

  it('is documented in the OpenAPI document as text/plain', async () => {
    const document = (await asAdmin(app).inject({ url: '/openapi.json' })).json();
    const get = document.paths['/metrics'].get;
    expect(Object.keys(get.responses['200'].content)).toEqual(['text/plain']);
    expect(get.responses['200'].content['text/plain'].schema).toMatchObject({ type: 'string' });
    expect(get.security).toBeUndefined();
  });
});
