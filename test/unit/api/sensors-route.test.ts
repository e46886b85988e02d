import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiApp, buildApp } from '../../../api/app.js';
import { LiveStore } from '../../../api/live/live-store.js';
import type { QueryPort } from '../../../api/ports.js';
import type { QuerySeries } from '../../../influx/index.js';
import { asAdmin, TEST_KEYS } from '../../harness/api-keys.js';

const T = Date.UTC(2025, 11, 1);
const queries: string[] = [];

/** InfluxDB holding one sensor's metadata point and nothing else. */
const database: QueryPort = {
  query: async (query) => {
    queries.push(query);
    if (!query.includes(`"sensor" = 'cave-co2-1'`) || !query.includes('"metadata"')) return [];
    const series: QuerySeries = {
      name: 'metadata',
      tags: { station: 'jinfo', gateway: 'cave-gw-1', subject: 'sensor', sensor: 'cave-co2-1' },
      columns: ['time', 'calibration_date', 'listed', 'model'],
      values: [[T, '2025-11-03', true, 'GMP252']],
    };
    return [series];
  },
  stream: async function* () {},
  ping: async () => ({ version: 'stand-in', major: 1 }),
};

let app: ApiApp;

beforeAll(async () => {
  app = buildApp({
    keys: TEST_KEYS.store,
    queries: database,
    live: new LiveStore(),
    logger: pino({ level: 'silent' }),
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
});

describe('GET /v1/sensors/{station}/{sensor}', () => {
  it('answers the metadata and, with at, the calibration then in force', async () => {
    const response = await asAdmin(app).inject({
      url: '/v1/sensors/jinfo/cave-co2-1?at=2025-11-04T00:00:00%2B08:00',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      station: 'jinfo',
      sensor: 'cave-co2-1',
      gateway: 'cave-gw-1',
      metadata: {
        model: 'GMP252',
        calibration: { date: '2025-11-03' },
        since: new Date(T).toISOString(),
        reportedBy: 'cave-gw-1',
      },
      calibrations: [{ date: '2025-11-03', recordedAt: new Date(T).toISOString() }],
      at: {
        time: '2025-11-03T16:00:00.000Z',
        calibration: { date: '2025-11-03', recordedAt: new Date(T).toISOString() },
      },
    });
  });

  it('is a 404 SENSOR_UNKNOWN problem for a sensor without metadata or readings', async () => {
    const response = await asAdmin(app).inject({ url: '/v1/sensors/jinfo/no-such-sensor' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      code: 'SENSOR_UNKNOWN',
      detail: 'station "jinfo" has no sensor "no-such-sensor"',
    });
  });

  it('refuses ids that are not slugs before any query is built', async () => {
    queries.length = 0;
    const response = await asAdmin(app).inject({ url: "/v1/sensors/jinfo/x'%20OR%20'1'%3D'1" });
    expect(response.statusCode).toBe(400);
    expect(queries).toEqual([]);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await asAdmin(app).inject({ url: '/openapi.json' })).json();
    const route = doc.paths['/v1/sensors/{station}/{sensor}'].get;
    expect(route.description).toContain('calibration in force');
    expect(route.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['station', 'sensor', 'at']),
    );
  });
});
