import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiApp, buildApp } from '../../../api/app.js';
import { LiveStore } from '../../../api/live/live-store.js';
import { SeriesDocumentSchema } from '../../../api/routes/series/series-schema.js';
import { encodePoint } from '../../../influx/index.js';
import { asAdmin, bearer, TEST_KEYS } from '../../harness/api-keys.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';

const POINTS = 25_000;
const T0 = Math.floor((Date.now() - 86_400_000) / 3_600_000) * 3_600_000;
const RANGE = `from=${new Date(T0).toISOString()}&to=${new Date(T0 + POINTS * 1000).toISOString()}`;
const URL = `/v1/series?station=jinfo&sensor=fast-1&${RANGE}`;

let influx: TestInflux;
let app: ApiApp;

beforeAll(async () => {
  influx = await startTestInflux('fs_api_stream');
  const tags = { station: 'jinfo', gateway: 'pi-9', sensor: 'fast-1', quantity: 'pressure', unit: 'hPa' };
  const lines = Array.from({ length: POINTS }, (_, i) =>
    encodePoint({
      measurement: 'reading',
      tags,
      fields: { value: { float: 1000 + (i % 100) / 10 }, qc: { int: 1 } },
      timestamp: T0 + i * 1000,
    }),
  );
  await influx.connection.writer.write(lines, 'ms');
  const live = new LiveStore();
  live.applyStatus(
    { station: 'jinfo', gateway: 'pi-9' },
    {
      v: 1,
      state: 'online',
      sensors: [{ sensor: 'fast-1', quantity: 'pressure', unit: 'hPa', intervalMs: 1000 }],
    },
  );
  app = buildApp({
    keys: TEST_KEYS.store,
    queries: influx.connection.queries,
    live,
    logger: pino({ level: 'silent' }),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  // fetch keeps a spare connection that never carries a request; the server would wait it out.
  const closing = app?.close();
  app?.server.closeAllConnections();
  await closing;
  await influx?.stop();
});

describe('streaming a result of several InfluxDB chunks', () => {
  it('joins the chunks into one JSON series without gaps', async () => {
    const doc = SeriesDocumentSchema.parse((await asAdmin(app).inject({ url: URL })).json());
    expect(doc.series).toHaveLength(1);
    expect(doc.series[0]?.points).toHaveLength(POINTS);
    expect(doc.series[0]?.gaps).toEqual([]);
    const times = doc.series[0]?.points.map((p) => Date.parse(p.time)) ?? [];
    expect(times.every((t, i) => i === 0 || t - (times[i - 1] ?? 0) === 1000)).toBe(true);
  });

  it('writes one CSV row per point', async () => {
    const body = (await asAdmin(app).inject({ url: `${URL}&format=csv` })).body;
    expect(body.trimEnd().split('\r\n')).toHaveLength(POINTS + 1);
  });

  it('survives a client that hangs up mid-stream', async () => {
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const controller = new AbortController();
    const response = await fetch(`${base}${URL}`, {
      signal: controller.signal,
      headers: bearer(TEST_KEYS.admin),
    });
    const reader = response.body?.getReader();
    await reader?.read();
    controller.abort();
    const again = await fetch(`${base}/v1/series?station=jinfo&sensor=fast-1&every=1h&${RANGE}`, {
      headers: bearer(TEST_KEYS.admin),
    });
    expect(again.status).toBe(200);
    expect(SeriesDocumentSchema.parse(await again.json()).series[0]?.points.length).toBeGreaterThan(0);
  });
});
