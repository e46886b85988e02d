import pino from 'pino';
import { type ApiApp, buildApp } from '../../api/app.js';
import { LiveStore } from '../../api/live/live-store.js';
import { TEST_KEYS } from './api-keys.js';
import type { TestInflux } from './influxd.js';

/** The API app over a test influxd, with no live MQTT feed, ready for `inject()` (see asAdmin for a key). */
export async function readyApiApp(influx: TestInflux): Promise<ApiApp> {
  const app = buildApp({
    queries: influx.connection.queries,
    live: new LiveStore(),
    logger: pino({ level: 'silent' }),
    keys: TEST_KEYS.store,
  });
  await app.ready();
  return app;
}
