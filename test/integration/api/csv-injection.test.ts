import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../../../api/app.js';
import { encodePoint } from '../../../influx/index.js';
import { readyApiApp } from '../../harness/api-app.js';
import { asAdmin } from '../../harness/api-keys.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';
import { iso, MIN, T0 } from './seed.js';

// Stored as the ingest once let them through: the protocol now refuses such identifiers, but stored data stays.
const UNIT = '+SUM(1;2)|/.*/{}';
const GATEWAY = `=cmd|' /C calc'!A0`;

let influx: TestInflux;
let app: ApiApp;

beforeAll(async () => {
  influx = await startTestInflux('fs_api_csv');
  const tags = { station: 'jinfo', gateway: GATEWAY, sensor: 't-9', quantity: 'temperature', unit: UNIT };
  const lines = [-3.5, 2].map((value, i) =>
    encodePoint({
      measurement: 'reading',
      tags,
      fields: { value: { float: value }, qc: { int: 1 } },
      timestamp: T0 + i * MIN,
    }),
  );
  await influx.connection.writer.write(lines, 'ms');
  app = await readyApiApp(influx);
});

afterAll(async () => {
  await app?.close();
  await influx?.stop();
});

describe('CSV from /v1/series with formula-like identifiers in storage', () => {
  it('defuses them as quoted text cells and keeps negative values as numbers', async () => {
    const response = await asAdmin(app).inject({
      url: `/v1/series?station=jinfo&quantity=temperature&format=csv&from=${iso(T0)}&to=${iso(T0 + 10 * MIN)}`,
    });
    expect(response.statusCode).toBe(200);
    expect(response.body.trimEnd().split('\r\n')).toEqual([
      'time,station,gateway,sensor,quantity,unit,value,qc',
      `${iso(T0)},jinfo,"'=cmd|' /C calc'!A0",t-9,temperature,"'+SUM(1;2)|/.*/{}",-3.5,1`,
      `${iso(T0 + MIN)},jinfo,"'=cmd|' /C calc'!A0",t-9,temperature,"'+SUM(1;2)|/.*/{}",2,1`,
    ]);
  });

  it('leaves the JSON form as stored', async () => {
    const response = await asAdmin(app).inject({
      url: `/v1/series?station=jinfo&quantity=temperature&from=${iso(T0)}&to=${iso(T0 + 10 * MIN)}`,
    });
    expect(response.json().series[0]).toMatchObject({ gateway: GATEWAY, unit: UNIT });
  });
});
