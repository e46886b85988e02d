import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiApp, buildApp } from '../../../api/app.js';
import { LiveStore } from '../../../api/live/live-store.js';
import {
  type CompletenessDocument,
  CompletenessDocumentSchema,
} from '../../../api/routes/completeness/completeness-schema.js';
import { encodePoint } from '../../../influx/index.js';
import { asAdmin, TEST_KEYS } from '../../harness/api-keys.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';

const MIN = 60_000;
/** A whole hour three hours ago: the two hours of data below lie in the past, on 30-minute windows. */
const T0 = Math.floor((Date.now() - 3 * 3_600_000) / 3_600_000) * 3_600_000;
const at = (minute: number) => new Date(T0 + minute * MIN).toISOString();
const span = (from: number, to: number) => [at(from), at(to)];
const minutes = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

function reading(gateway: string, sensor: string, quantity: string, minute: number): string {
  return encodePoint({
    measurement: 'reading',
    tags: { station: 'jinfo', gateway, sensor, quantity, unit: 'x' },
    fields: { value: { float: minute }, qc: { int: 1 } },
    timestamp: T0 + minute * MIN,
  });
}

function totals(gateway: string, minute: number, messages: number, duplicates: number, late: number) {
  return encodePoint({
    measurement: 'gateway_sequence',
    tags: { station: 'jinfo', gateway },
    fields: {
      messages: { int: messages },
      last_seq: { int: messages },
      gaps: { int: 0 },
      duplicates: { int: duplicates },
      late: { int: late },
      restarts: { int: 0 },
      conflicts: { int: 0 },
    },
    timestamp: T0 + minute * MIN,
  });
}

/**
 * The truth, minute by minute over [T0, T0+120m). pi-1/co2-1 (every minute) misses 10-14 (a gap),
 * 20 alone (no gap: 2 intervals), 58-91 (silent through the third window) and 117-119 (a gap at the
 * end); pi-1/t-1 (every 5 min) misses nothing; pi-1/rain-1 is announced and never reports; pi-2/x-1
 * announces no interval. The ingest's totals of pi-1: 1000/10/4 before the range, none in the second
 * window, and a counter that starts over in the fourth.
 */
const CO2_MINUTES = minutes(0, 120).filter(
  (m) => !(m >= 10 && m <= 14) && m !== 20 && !(m >= 58 && m <= 91) && m < 117,
);
const LINES = [
  ...CO2_MINUTES.map((m) => reading('pi-1', 'co2-1', 'co2', m)),
  ...minutes(0, 24).map((i) => reading('pi-1', 't-1', 'temperature', i * 5)),
  ...[1, 2, 3].map((m) => reading('pi-2', 'x-1', 'voltage', m)),
  totals('pi-1', -5, 1000, 10, 4),
  totals('pi-1', 10, 1050, 10, 4),
  totals('pi-1', 25, 1100, 12, 5),
  totals('pi-1', 70, 1180, 12, 5),
  totals('pi-1', 100, 20, 1, 0),
  totals('pi-3', 40, 5, 0, 0),
];

let influx: TestInflux;
let app: ApiApp;

beforeAll(async () => {
  influx = await startTestInflux('fs_api_completeness');
  await influx.connection.writer.write(LINES, 'ms');
  // The live view as the MQTT subscriber feeds it from pi-1's retained status.
  const live = new LiveStore(() => T0);
  live.applyStatus(
    { station: 'jinfo', gateway: 'pi-1' },
    {
      v: 1,
      state: 'online',
      time: T0,
      sensors: [
        { sensor: 'co2-1', quantity: 'co2', unit: 'x', intervalMs: MIN },
        { sensor: 't-1', quantity: 'temperature', unit: 'x', intervalMs: 5 * MIN },
        { sensor: 'rain-1', quantity: 'precipitation', unit: 'x', intervalMs: 10 * MIN },
      ],
    },
  );
  app = buildApp({
    keys: TEST_KEYS.store,
    queries: influx.connection.queries,
    live,
    logger: pino({ level: 'silent' }),
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await influx?.stop();
});

async function report(query: string): Promise<CompletenessDocument> {
  const response = await asAdmin(app).inject({ url: `/v1/completeness?station=jinfo&${query}` });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  return CompletenessDocumentSchema.parse(response.json());
}

const TWO_HOURS = `from=${at(0)}&to=${at(120)}`;
const sensorOf = (doc: CompletenessDocument, gateway: string, sensor: string) =>
  doc.gateways.find((g) => g.gateway === gateway)?.sensors.find((s) => s.sensor === sensor);
const column = <T, K extends keyof T>(rows: readonly T[] | undefined, key: K) => rows?.map((row) => row[key]);

describe('GET /v1/completeness in 30-minute windows', () => {
  let doc: CompletenessDocument;
  beforeAll(async () => {
    doc = await report(`${TWO_HOURS}&every=30m`);
  });

  it('lists the gateways with sensor rows or message totals, and the windows of the range', () => {
    expect(doc).toMatchObject({ station: 'jinfo', from: at(0), to: at(120), every: '30m' });
    expect(doc.gateways.map((g) => [g.gateway, g.sensors.map((s) => s.sensor)])).toEqual([
      ['pi-1', ['co2-1', 'rain-1', 't-1']],
      ['pi-2', ['x-1']],
      ['pi-3', []],
    ]);
    expect(doc.gateways[0]?.windows.map((w) => [w.from, w.to])).toEqual([
      span(0, 30),
      span(30, 60),
      span(60, 90),
      span(90, 120),
    ]);
  });

  it('counts expected, received and missing readings, also for a window the sensor was silent in', () => {
    const co2 = sensorOf(doc, 'pi-1', 'co2-1');
    expect(co2?.intervalMs).toBe(MIN);
    expect(column(co2?.windows, 'expected')).toEqual([30, 30, 30, 30]);
    expect(column(co2?.windows, 'received')).toEqual([24, 28, 0, 25]);
    expect(column(co2?.windows, 'missing')).toEqual([6, 2, 30, 5]);
    const t1 = sensorOf(doc, 'pi-1', 't-1');
    expect(column(t1?.windows, 'missing')).toEqual([0, 0, 0, 0]);
    expect(column(t1?.windows, 'gaps')).toEqual([[], [], [], []]);
  });

  it('lists the gaps, cut at window boundaries and at the edges of the range', () => {
    const co2 = sensorOf(doc, 'pi-1', 'co2-1');
    expect(column(co2?.windows, 'gaps')).toEqual([
      [span(9, 15)],
      [span(57, 60)],
      [span(60, 90)],
      [span(90, 92), span(116, 120)],
    ]);
    expect(column(co2?.windows, 'gapsTruncated')).toEqual([false, false, false, false]);
  });

  it('reports an announced sensor that never sent a reading as missing all of them', () => {
    const rain = sensorOf(doc, 'pi-1', 'rain-1');
    expect(rain?.windows.map((w) => [w.expected, w.received, w.missing, w.gaps])).toEqual([
      [3, 0, 3, [span(0, 30)]],
      [3, 0, 3, [span(30, 60)]],
      [3, 0, 3, [span(60, 90)]],
      [3, 0, 3, [span(90, 120)]],
    ]);
  });

  it('cannot tell expected, missing or gaps without an announced interval', () => {
    const x1 = sensorOf(doc, 'pi-2', 'x-1');
    expect(x1?.intervalMs).toBeNull();
    expect(x1?.windows.map((w) => [w.expected, w.received, w.missing, w.gaps])).toEqual([
      [null, 3, null, null],
      [null, 0, null, null],
      [null, 0, null, null],
      [null, 0, null, null],
    ]);
  });

  it('gives messages, duplicates and late per window from the running totals, null without a total', () => {
    const counts = (gateway: string) =>
      doc.gateways
        .find((g) => g.gateway === gateway)
        ?.windows.map((w) => (w.messages === null ? null : [w.messages, w.duplicates, w.late]));
    expect(counts('pi-1')).toEqual([[100, 2, 1], null, [80, 0, 0], [20, 1, 0]]);
    expect(counts('pi-2')).toEqual([null, null, null, null]);
    expect(counts('pi-3')).toEqual([null, [5, 0, 0], null, null]);
  });
});

describe('GET /v1/completeness, other shapes', () => {
  it('makes the whole range one window without "every"', async () => {
    const doc = await report(`from=${at(0)}&to=${at(60)}&gateway=pi-1`);
    expect(doc.every).toBeNull();
    const co2 = sensorOf(doc, 'pi-1', 'co2-1');
    expect(co2?.windows).toEqual([
      {
        from: at(0),
        to: at(60),
        expected: 60,
        received: 52,
        missing: 8,
        // 57 to the end of the range is 3 intervals, not more: the silence is a gap only once it goes on.
        gaps: [span(9, 15)],
        gapsTruncated: false,
      },
    ]);
    expect(doc.gateways.map((g) => g.gateway)).toEqual(['pi-1']);
    expect(doc.gateways[0]?.windows).toEqual([
      { from: at(0), to: at(60), messages: 100, duplicates: 2, late: 1 },
    ]);
  });

  it('narrows to one sensor, with its gateway figures and no other gateway', async () => {
    const doc = await report(`${TWO_HOURS}&every=1h&sensor=co2-1`);
    expect(doc.gateways.map((g) => [g.gateway, g.sensors.map((s) => s.sensor)])).toEqual([
      ['pi-1', ['co2-1']],
    ]);
    expect(column(doc.gateways[0]?.sensors[0]?.windows, 'received')).toEqual([52, 25]);
    // The documented rule: a total that fell counts its new value only, so the 80 messages this window
    // saw before pi-1's counter started over (at minute 100) are not in its figure.
    expect(column(doc.gateways[0]?.windows, 'messages')).toEqual([100, 20]);
  });

  it('answers CSV, one row per gateway, sensor row and window', async () => {
    for (const request of [
      { url: `/v1/completeness?station=jinfo&${TWO_HOURS}&every=30m&format=csv` },
      { url: `/v1/completeness?station=jinfo&${TWO_HOURS}&every=30m`, headers: { accept: 'text/csv' } },
    ]) {
      const response = await asAdmin(app).inject(request);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      const lines = response.body.split('\r\n');
      expect(lines).toHaveLength(1 + 4 * 4 + 4 + 1);
      expect(lines).toContain(
        `jinfo,pi-1,co2-1,co2,${at(90)},${at(120)},60000,30,25,5,20,1,0,2,` +
          `${at(90)}/${at(92)} ${at(116)}/${at(120)},false`,
      );
      expect(lines).toContain(`jinfo,pi-3,,,${at(30)},${at(60)},,,,,5,0,0,,,`);
    }
  });

  it('refuses too many windows up front, naming the figures', async () => {
    const response = await asAdmin(app).inject({
      url: `/v1/completeness?station=jinfo&${TWO_HOURS}&every=1ms`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'PARAMETER_INVALID', errors: [{ parameter: 'every' }] });
    expect(response.json().detail).toContain('gives 7200000 windows; the limit is 50000 rows');
  });

  it('refuses windows × sensor rows over the limit, naming the figures', async () => {
    const response = await asAdmin(app).inject({
      url: `/v1/completeness?station=jinfo&${TWO_HOURS}&every=500ms`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'RESULT_TOO_LARGE' });
    expect(response.json().detail).toContain(
      '14400 windows × 4 sensor rows = 57600 rows; the limit is 50000',
    );
  });

  it('is documented in the OpenAPI document with its JSON and CSV bodies', async () => {
    const doc = (await asAdmin(app).inject({ url: '/openapi.json' })).json();
    const route = doc.paths['/v1/completeness'].get;
    expect(route.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['station', 'gateway', 'sensor', 'from', 'to', 'every', 'format']),
    );
    expect(Object.keys(route.responses['200'].content)).toEqual(['application/json', 'text/csv']);
  });
});
