import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../../../api/app.js';
import { SeriesDocumentSchema } from '../../../api/routes/series/series-schema.js';
import { encodePoint } from '../../../influx/index.js';
import { readyApiApp } from '../../harness/api-app.js';
import { asAdmin } from '../../harness/api-keys.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';
import { iso, MIN, T0 } from './seed.js';

const SENSORS = 20;
const RANGE = `from=${iso(T0)}&to=${iso(T0 + 10 * MIN)}`;

let influx: TestInflux;
let app: ApiApp;

beforeAll(async () => {
  influx = await startTestInflux('fs_api_limits');
  // Twenty CO2 sensors of one station, as in the report that found the limit counted per series.
  const lines = Array.from({ length: SENSORS }, (_, i) =>
    [0, 5].map((minute) =>
      encodePoint({
        measurement: 'reading',
        tags: {
          station: 'jinfo',
          gateway: `pi-${i % 4}`,
          sensor: `co2-${i}`,
          quantity: 'co2',
          unit: '[ppm]',
        },
        fields: { value: { float: 400 + i }, qc: { int: 1 } },
        timestamp: T0 + minute * MIN,
      }),
    ),
  ).flat();
  await influx.connection.writer.write(lines, 'ms');
  app = await readyApiApp(influx);
});

afterAll(async () => {
  await app?.close();
  await influx?.stop();
});

describe('the window limit of /v1/series counts windows × series per request', () => {
  it('refuses every=10ms over 10 min of 20 sensors (60000 × 20 windows) up front, naming the figures', async () => {
    const response = await asAdmin(app).inject({
      url: `/v1/series?station=jinfo&quantity=co2&every=10ms&${RANGE}`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect(problem).toMatchObject({ code: 'RESULT_TOO_LARGE', errors: [{ parameter: 'every' }] });
    expect(problem.detail).toContain('60000 windows per series × 20 series = 1200000 windows');
    expect(problem.detail).toContain('the limit is 1000000 per request');
    expect(problem.detail).toMatch(/"every".*"from".*"to".*"sensor"/);
  });

  it('serves the same windows of one sensor', async () => {
    const response = await asAdmin(app).inject({
      url: `/v1/series?station=jinfo&sensor=co2-3&every=10ms&${RANGE}`,
    });
    expect(response.statusCode).toBe(200);
    const doc = SeriesDocumentSchema.parse(response.json());
    expect(doc.series).toHaveLength(1);
    expect(doc.series[0]?.points).toHaveLength(60_000);
  });

  it('serves all 20 sensors with a window that keeps the request within the limit', async () => {
    const response = await asAdmin(app).inject({
      url: `/v1/series?station=jinfo&quantity=co2&every=1s&${RANGE}`,
    });
    expect(response.statusCode).toBe(200);
    const doc = SeriesDocumentSchema.parse(response.json());
    expect(doc.series).toHaveLength(SENSORS);
    expect(doc.series.every((s) => s.points.length === 600)).toBe(true);
  });

  it('counts only the series with data in the range', async () => {
    const late = `from=${iso(T0 + 6 * MIN)}&to=${iso(T0 + 16 * MIN)}`;
    const response = await asAdmin(app).inject({
      url: `/v1/series?station=jinfo&quantity=co2&every=10ms&${late}`,
    });
    expect(response.statusCode).toBe(200);
    expect(SeriesDocumentSchema.parse(response.json()).series).toEqual([]);
  });
});
