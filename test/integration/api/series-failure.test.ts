import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApiApp, buildApp } from '../../../api/app.js';
import { LiveStore } from '../../../api/live/live-store.js';
import { SeriesDocumentSchema } from '../../../api/routes/series/series-schema.js';
import { encodePoint } from '../../../influx/index.js';
import { bearer, TEST_KEYS } from '../../harness/api-keys.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';
import { LogRecorder } from '../../harness/log-recorder.js';

const T0 = Math.floor((Date.now() - 86_400_000) / 3_600_000) * 3_600_000;
// A million 1 ms windows minus a little: the largest aggregation the API allows, and tens of
// megabytes from InfluxDB, far more than the sockets between it and the API buffer.
const WINDOWS = 999_000;
const URL = `/v1/series?station=jinfo&sensor=p-1&every=1ms&from=${new Date(T0).toISOString()}&to=${new Date(T0 + WINDOWS).toISOString()}`;
const FAILED = 'series stream failed after the response started';

let influx: TestInflux;
let app: ApiApp;
const logs = new LogRecorder();

beforeAll(async () => {
  influx = await startTestInflux('fs_api_failure');
  const tags = { station: 'jinfo', gateway: 'pi-1', sensor: 'p-1', quantity: 'pressure', unit: 'hPa' };
  const point = encodePoint({
    measurement: 'reading',
    tags,
    fields: { value: { float: 1000 }, qc: { int: 1 } },
    timestamp: T0,
  });
  await influx.connection.writer.write([point], 'ms');
  app = buildApp({
    keys: TEST_KEYS.store,
    queries: influx.connection.queries,
    live: new LiveStore(),
    logger: logs.logger(),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  const closing = app?.close();
  app?.server.closeAllConnections();
  await closing;
  await influx?.stop();
});

/** Starts a request, then kills influxd as soon as the 200 status line is in: mid-query, for real. */
async function requestAndKill(url: string): Promise<Response> {
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const response = await fetch(`${base}${url}`, { headers: bearer(TEST_KEYS.admin) });
  expect(response.status).toBe(200);
  await influx.server.stop('SIGKILL');
  return response;
}

describe('a series stream whose database dies after the status line', () => {
  beforeEach(async () => {
    // Each test kills it; a restart keeps its data, directory and port.
    if (influx.server.pid === undefined) await influx.server.start();
  });

  it('ends the JSON document with an error member and logs the failure', async () => {
    const doc = SeriesDocumentSchema.parse(await (await requestAndKill(URL)).json());
    expect(doc.error).toEqual({ code: 'INFLUX_UNREACHABLE', detail: expect.stringMatching(/incomplete/) });
    expect(doc.series[0]?.points.length).toBeLessThan(WINDOWS);
    const logged = await logs.waitFor(FAILED);
    expect(logged).toMatchObject({ level: 50, err: { message: expect.stringMatching(/broke off/) } });
  });

  it('ends the CSV with a "# error:" line', async () => {
    const text = await (await requestAndKill(`${URL}&format=csv`)).text();
    const lines = text.split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.at(-2)).toMatch(/^# error: INFLUX_UNREACHABLE the response is incomplete: /);
    expect(lines.length).toBeLessThan(WINDOWS);
    expect(lines.slice(1, -2).every((line) => /^\S+,jinfo,pi-1,p-1,pressure,hPa,/.test(line))).toBe(true);
  });
});
