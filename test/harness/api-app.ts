import pino from 'pino';
import { type ApiApp, buildApp } from '../../api/app.js';
import { LiveStore } from '../../api/live/live-store.js';
import type { TestInflux } from './influxd.js';

/** The API app over a test influxd, with no live MQTT feed, ready for `inject()`. */
export async function readyApiApp(influx: TestInflux): Promise<ApiApp> {
  const app = buildApp({
    queries: influx.connection.queries,
    live: new LiveStore(),
    logger: pino({ level: 'silent' }),
  });
  await app.ready();
  return app;
}
