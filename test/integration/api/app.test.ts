import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiApp, buildApp } from '../../../api/app.js';
import { LiveStore } from '../../../api/live/live-store.js';
import { SeriesDocumentSchema } from '../../../api/routes/series/series-schema.js';
import { InfluxQueryClient } from '../../../influx/index.js';
import { asAdmin, TEST_KEYS } from '../../harness/api-keys.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';
import { iso, MIN, seed, T0 } from './seed.js';

const logger = pino({ level: 'silent' });
let influx: TestInflux;
let live: LiveStore;
let app: ApiApp;

beforeAll(async () => {
  influx = await startTestInflux('fs_api_test');
  await seed(influx.connection);
  live = new LiveStore(() => T0);
  live.setConnected(true);
  live.applyStatus(
    { station: 'jinfo', gateway: 'pi-1' },
    {
      v: 1,
      state: 'online',
      time: T0,
      sensors: [
        { sensor: 'co2-1', quantity: 'co2', unit: '[ppm]', intervalMs: MIN },
        { sensor: 'rain-1', quantity: 'precipitation', unit: 'mm', intervalMs: 300_000 },
      ],
    },
  );
  live.applyStatus({ station: 'xuefeng', gateway: 'pi-1' }, { v: 1, state: 'offline', time: T0 - MIN });
  app = buildApp({ keys: TEST_KEYS.store, queries: influx.connection.queries, live, logger });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await influx?.stop();
});

const range = (fromMs: number, toMs: number) => `from=${iso(fromMs)}&to=${iso(toMs)}`;
const WHOLE = range(T0 - MIN, T0 + 60 * MIN);

async function problemOf(url: string) {
  const response = await asAdmin(app).inject({ url });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  return { status: response.statusCode, body: response.json() };
}

describe('GET /v1/stations', () => {
  it('lists stations, gateways with their live state and sensors with their last reading', async () => {
    const response = await asAdmin(app).inject({ url: '/v1/stations' });
    expect(response.statusCode).toBe(200);
    const { stations } = response.json();
    expect(stations.map((s: { station: string }) => s.station)).toEqual(['jinfo', 'xuefeng']);
    const [jinfo, xuefeng] = stations;
    expect(jinfo.gateways.map((g: { gateway: string; state: string }) => [g.gateway, g.state])).toEqual([
      ['pi-1', 'online'],
      ['pi-2', 'unknown'],
    ]);
    const pi1 = jinfo.gateways[0];
    expect(pi1.since).toBe(iso(T0));
    expect(pi1.sensors).toEqual([
      {
        sensor: 'co2-1',
        quantity: 'co2',
        unit: '[ppm]',
        intervalMs: MIN,
        last: { time: iso(T0 + 49 * MIN), value: 819, qc: 3 },
        metadata: null,
      },
      {
        sensor: 'rain-1',
        quantity: 'precipitation',
        unit: 'mm',
        intervalMs: 300_000,
        last: null,
        metadata: null,
      },
      {
        sensor: 't-1',
        quantity: 'temperature',
        unit: 'Cel',
        intervalMs: null,
        last: { time: iso(T0 + 3 * MIN), value: 11.5, qc: 2 },
        metadata: null,
      },
    ]);
    expect(xuefeng.gateways[0]).toMatchObject({ gateway: 'pi-1', state: 'offline', since: iso(T0 - MIN) });
    expect(xuefeng.gateways[0].sensors[0].last).toEqual({ time: iso(T0), value: 3.2, qc: 1 });
  });
});

describe('GET /v1/series', () => {
  it('streams raw points as JSON with the gap the announced interval reveals', async () => {
    const response = await asAdmin(app).inject({ url: `/v1/series?station=jinfo&sensor=co2-1&${WHOLE}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const doc = SeriesDocumentSchema.parse(response.json());
    expect(doc).toMatchObject({ station: 'jinfo', every: null, fn: null });
    expect(doc.series).toHaveLength(1);
    const [co2] = doc.series;
    expect(co2?.points).toHaveLength(20);
    expect(co2?.points[0]).toEqual({ time: iso(T0), value: 800, qc: 1 });
    expect(co2?.gaps).toEqual([[iso(T0 + 9 * MIN), iso(T0 + 40 * MIN)]]);
  });

  it('aggregates into windows and reports an empty window as null', async () => {
    const url = `/v1/series?station=jinfo&sensor=co2-1&every=10m&fn=max&${range(T0, T0 + 50 * MIN)}`;
    const doc = SeriesDocumentSchema.parse((await asAdmin(app).inject({ url })).json());
    expect(doc).toMatchObject({ every: '10m', fn: 'max' });
    expect(doc.series[0]?.points.map((p) => p.value)).toEqual([809, null, null, null, 819]);
    expect(doc.series[0]?.points[1]).toEqual({ time: iso(T0 + 10 * MIN), value: null, qc: null });
    expect(doc.series[0]?.points[4]?.qc).toBe(3);
  });

  it.each([
    ['mean', 804.5, null],
    ['min', 800, null],
    ['max', 809, null],
    ['first', 800, null],
    ['last', 809, null],
    ['count', 10, 0],
  ])('aggregates with fn=%s (empty window: %s)', async (fn, full, empty) => {
    const url = `/v1/series?station=jinfo&sensor=co2-1&every=10m&fn=${fn}&${range(T0, T0 + 20 * MIN)}`;
    const doc = SeriesDocumentSchema.parse((await asAdmin(app).inject({ url })).json());
    expect(doc.series[0]?.points).toEqual([
      { time: iso(T0), value: full, qc: 1 },
      { time: iso(T0 + 10 * MIN), value: empty, qc: null },
    ]);
  });

  it('selects every sensor of a quantity, across gateways, or one gateway of it', async () => {
    const all = SeriesDocumentSchema.parse(
      (await asAdmin(app).inject({ url: `/v1/series?station=jinfo&quantity=co2&${WHOLE}` })).json(),
    );
    expect(all.series.map((s) => `${s.gateway}/${s.sensor}`)).toEqual(['pi-1/co2-1', 'pi-2/co2-2']);
    const one = SeriesDocumentSchema.parse(
      (
        await asAdmin(app).inject({ url: `/v1/series?station=jinfo&quantity=co2&gateway=pi-2&${WHOLE}` })
      ).json(),
    );
    expect(one.series.map((s) => s.sensor)).toEqual(['co2-2']);
  });

  it('answers CSV for format=csv', async () => {
    const response = await asAdmin(app).inject({
      url: `/v1/series?station=jinfo&sensor=co2-1&format=csv&${WHOLE}`,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const lines = response.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('time,station,gateway,sensor,quantity,unit,value,qc');
    expect(lines).toHaveLength(21);
    expect(lines[1]).toBe(`${iso(T0)},jinfo,pi-1,co2-1,co2,[ppm],800,1`);
  });

  it('answers CSV for Accept: text/csv, with empty cells for empty windows', async () => {
    const response = await asAdmin(app).inject({
      url: `/v1/series?station=jinfo&sensor=co2-1&every=10m&${range(T0, T0 + 20 * MIN)}`,
      headers: { accept: 'text/csv' },
    });
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.body.trimEnd().split('\r\n').slice(1)).toEqual([
      `${iso(T0)},jinfo,pi-1,co2-1,co2,[ppm],804.5,1`,
      `${iso(T0 + 10 * MIN)},jinfo,pi-1,co2-1,co2,[ppm],,`,
    ]);
  });

  it('returns an empty document for a range without data', async () => {
    const doc = SeriesDocumentSchema.parse(
      (
        await asAdmin(app).inject({
          url: `/v1/series?station=jinfo&sensor=co2-1&${range(T0 - 60 * MIN, T0 - 30 * MIN)}`,
        })
      ).json(),
    );
    expect(doc.series).toEqual([]);
  });

  it.each([
    ['station=jinfo&sensor=co2-1&from=yesterday', 'from'],
    ['station=jinfo&sensor=co2-1&from=now&to=-1h', 'from'],
    ['station=jinfo&sensor=co2-1&every=5minutes', 'every'],
    ['station=jinfo&sensor=co2-1&fn=max', 'fn'],
    ['station=jinfo', 'sensor'],
    ['sensor=co2-1', 'station'],
  ])('refuses %s with a 400 problem naming %s', async (query, parameter) => {
    const { status, body } = await problemOf(`/v1/series?${query}`);
    expect(status).toBe(400);
    expect(body).toMatchObject({ status: 400, code: 'PARAMETER_INVALID', title: 'Bad Request' });
    expect(body.type).toMatch(/parameter-invalid/);
    expect(body.errors[0].parameter).toBe(parameter);
    expect(body.detail).toContain(`"${parameter}"`);
  });

  it.each([
    `station=${encodeURIComponent("jinfo' OR 1=1 --")}&sensor=co2-1`,
    `station=jinfo&sensor=${encodeURIComponent('co2-1\'; DROP DATABASE "fs_api_test"')}`,
    `station=jinfo&sensor=${encodeURIComponent('/.*/')}`,
    `station=jinfo&quantity=${encodeURIComponent('co2\\')}`,
  ])('refuses the injection attempt %s', async (query) => {
    const { status, body } = await problemOf(`/v1/series?${query}`);
    expect(status).toBe(400);
    expect(body.code).toBe('PARAMETER_INVALID');
    expect(await influx.rows('SELECT count("value") FROM "reading"')).toEqual([
      expect.objectContaining({ count: 23 }),
    ]);
  });
});

describe('GET /v1/latest', () => {
  it('gives the newest reading per series, filtered by station', async () => {
    const response = await asAdmin(app).inject({ url: '/v1/latest?station=xuefeng' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      readings: [
        {
          station: 'xuefeng',
          gateway: 'pi-1',
          sensor: 'ice-1',
          quantity: 'ice-thickness',
          unit: 'mm',
          time: iso(T0),
          value: 3.2,
          qc: 1,
        },
      ],
    });
    expect((await asAdmin(app).inject({ url: '/v1/latest' })).json().readings).toHaveLength(4);
  });
});

describe('GET /v1/quarantine', () => {
  it('lists records newest first, limited', async () => {
    const response = await asAdmin(app).inject({ url: '/v1/quarantine?limit=2' });
    expect(response.statusCode).toBe(200);
    const { records } = response.json();
    expect(records.map((r: { code: string }) => r.code)).toEqual(['VERSION_UNSUPPORTED', 'PAYLOAD_INVALID']);
    expect(records[0]).toEqual({
      time: iso(T0 + 3 * MIN),
      code: 'VERSION_UNSUPPORTED',
      station: 'jinfo',
      gateway: 'pi-1',
      topic: 'fs/v1/jinfo/pi-1/readings',
      reason: 'message version 2 is not supported',
      reasonTruncated: false,
      payload: '{"v":2}',
      payloadTruncated: false,
      bytes: 7,
    });
  });

  it('filters by time and refuses a bad limit', async () => {
    const { records } = (await asAdmin(app).inject({ url: `/v1/quarantine?to=${iso(T0 + 2 * MIN)}` })).json();
    expect(records.map((r: { code: string }) => r.code)).toEqual(['PAYLOAD_NOT_JSON']);
    const { status, body } = await problemOf('/v1/quarantine?limit=0');
    expect(status).toBe(400);
    expect(body.errors[0].parameter).toBe('limit');
  });
});

describe('GET /v1/alerts', () => {
  it('lists firing alerts only', async () => {
    const base = {
      v: 1 as const,
      station: 'jinfo',
      kind: 'threshold' as const,
      severity: 'warning' as const,
      message: 'CO2 high',
      gateway: 'pi-1',
      sensor: 'co2-1',
      quantity: 'co2',
      unit: '[ppm]',
      value: 5100,
      op: 'above' as const,
      threshold: 5000,
      time: T0,
      since: T0,
    };
    live.applyAlert({ ...base, rule: 'co2-high', state: 'firing' });
    live.applyAlert({ ...base, rule: 'co2-low', state: 'clear' });
    const { alerts } = (await asAdmin(app).inject({ url: '/v1/alerts' })).json();
    const { v: _version, ...view } = base;
    expect(alerts).toEqual([
      { ...view, rule: 'co2-high', state: 'firing', time: iso(T0), since: iso(T0), ack: null, silence: null },
    ]);
  });
});

describe('service routes', () => {
  it('serves an OpenAPI document listing every path', async () => {
    const response = await asAdmin(app).inject({ url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/stations',
        '/v1/series',
        '/v1/latest',
        '/v1/alerts',
        '/v1/alerts/stream',
        '/v1/quarantine',
        '/healthz',
      ]),
    );
    const params = doc.paths['/v1/series'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(
      expect.arrayContaining([
        'station',
        'sensor',
        'quantity',
        'from',
        'to',
        'every',
        'fn',
        'layout',
        'header',
        'limit',
        'cursor',
      ]),
    );
    expect(doc.paths['/v1/series/metadata'].get.responses['200']).toBeDefined();
    expect(Object.keys(doc.paths['/v1/series'].get.responses['200'].content)).toEqual([
      'application/json',
      'text/csv',
    ]);
    const series = doc.paths['/v1/series'].get;
    expect(series.description).toMatch(/`error` member .*`# error: CODE detail`/);
    // Long (the series document) or wide (layout=wide): both end with `error` on a failed stream.
    const documents = series.responses['200'].content['application/json'].schema.anyOf;
    expect(documents).toHaveLength(2);
    for (const document of documents) expect(document.properties.error).toBeDefined();
  });

  it('reports health: 200 when InfluxDB and MQTT are up, 503 when MQTT is not', async () => {
    const ok = await asAdmin(app).inject({ url: '/healthz' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({
      status: 'ok',
      influx: { reachable: true },
      mqtt: { connected: true },
      checks: [],
    });
    live.setConnected(false);
    try {
      const degraded = await asAdmin(app).inject({ url: '/healthz' });
      expect(degraded.statusCode).toBe(503);
      expect(degraded.json()).toMatchObject({ status: 'degraded', mqtt: { connected: false } });
    } finally {
      live.setConnected(true);
    }
  });

  it('answers unknown routes with a 404 problem', async () => {
    const { status, body } = await problemOf('/v1/nothing');
    expect(status).toBe(404);
    expect(body.code).toBe('ROUTE_NOT_FOUND');
  });
});

describe('raw pages instead of a raw point cap', () => {
  it('serves a raw range of any size as pages, and still caps windows', async () => {
    const response = await asAdmin(app).inject({
      url: '/v1/series?station=jinfo&sensor=co2-1&from=-365d&limit=5',
    });
    expect(response.statusCode).toBe(200);
    const page = response.json();
    expect(page.series[0].points).toHaveLength(5);
    expect(page.next).toMatch(/^\/v1\/series\?.*cursor=/);
    const refused = await asAdmin(app).inject({
      url: '/v1/series?station=jinfo&sensor=co2-1&from=-365d&every=1h&limit=5',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'PARAMETER_INVALID', errors: [{ parameter: 'limit' }] });
  });
});

describe('with InfluxDB unreachable', () => {
  it('answers 503 problems and an unhealthy healthz', async () => {
    const down = buildApp({
      keys: TEST_KEYS.store,
      queries: new InfluxQueryClient({ url: 'http://127.0.0.1:9', timeoutMs: 2000 }, 'x'),
      live,
      logger,
    });
    try {
      const stations = await asAdmin(down).inject({ url: '/v1/stations' });
      expect(stations.statusCode).toBe(503);
      expect(stations.json()).toMatchObject({ code: 'INFLUX_UNREACHABLE', status: 503 });
      const series = await asAdmin(down).inject({ url: '/v1/series?station=jinfo&sensor=co2-1' });
      expect(series.statusCode).toBe(503);
      expect((await asAdmin(down).inject({ url: '/healthz' })).json().influx.reachable).toBe(false);
    } finally {
      await down.close();
    }
  });
});
