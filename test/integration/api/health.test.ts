import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiApp, buildApp } from '../../../api/app.js';
import { LiveStore } from '../../../api/live/live-store.js';
import type { HealthCheck } from '../../../api/routes/health/health-check.js';
import { asAdmin, TEST_KEYS } from '../../harness/api-keys.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';

const logger = pino({ level: 'silent' });
let influx: TestInflux;
let live: LiveStore;

beforeAll(async () => {
  influx = await startTestInflux('fs_api_health');
  live = new LiveStore();
  live.setConnected(true);
});

afterAll(async () => {
  // A failed test may have left influxd stopped; a stopped process would not see SIGTERM.
  signalInfluxd('SIGCONT');
  await influx?.stop();
});

function signalInfluxd(signal: NodeJS.Signals): void {
  const pid = influx?.server.pid;
  if (pid !== undefined) process.kill(pid, signal);
}

async function withApp(checks: readonly HealthCheck[], use: (app: ApiApp) => Promise<void>): Promise<void> {
  const app = buildApp({
    keys: TEST_KEYS.store,
    queries: influx.connection.queries,
    live,
    logger,
    healthChecks: checks,
  });
  try {
    await use(app);
  } finally {
    await app.close();
  }
}

describe('GET /healthz', () => {
  it('answers 503 within a second, naming the deadline, while InfluxDB is frozen', async () => {
    await withApp([], async (app) => {
      signalInfluxd('SIGSTOP');
      try {
        const started = performance.now();
        const response = await asAdmin(app).inject({ url: '/healthz' });
        const elapsedMs = performance.now() - started;
        expect(response.statusCode).toBe(503);
        expect(response.json()).toMatchObject({
          status: 'degraded',
          influx: { reachable: false, reason: expect.stringMatching(/did not answer within 800 ms/) },
          mqtt: { connected: true },
        });
        // The 800 ms deadline is what the reason names; the bound only tells a deadline from a hang,
        // so a loaded CI machine cannot fail it.
        expect(elapsedMs).toBeLessThan(10_000);
      } finally {
        signalInfluxd('SIGCONT');
      }
      expect((await asAdmin(app).inject({ url: '/healthz' })).statusCode).toBe(200);
    });
  });

  it('lists the checks of the embedding process and answers 503 when one fails', async () => {
    const consumer = { ok: true };
    const checks: HealthCheck[] = [
      { name: 'ingest-consumer', check: () => (consumer.ok ? { ok: true } : { ok: false, reason: 'stuck' }) },
      { name: 'disk', check: () => ({ ok: true }) },
    ];
    await withApp(checks, async (app) => {
      const healthy = await asAdmin(app).inject({ url: '/healthz' });
      expect(healthy.statusCode).toBe(200);
      expect(healthy.json()).toEqual({
        status: 'ok',
        influx: { reachable: true },
        mqtt: { connected: true },
        checks: [
          { name: 'ingest-consumer', ok: true },
          { name: 'disk', ok: true },
        ],
      });
      consumer.ok = false;
      const failing = await asAdmin(app).inject({ url: '/healthz' });
      expect(failing.statusCode).toBe(503);
      expect(failing.json()).toMatchObject({
        status: 'degraded',
        influx: { reachable: true },
        checks: [
          { name: 'ingest-consumer', ok: false, reason: 'stuck' },
          { name: 'disk', ok: true },
        ],
      });
    });
  });

  it('reports a check that throws as failed instead of failing the probe', async () => {
    const broken: HealthCheck = {
      name: 'broken',
      check: () => {
        throw new Error('state unavailable');
      },
    };
    await withApp([broken], async (app) => {
      const response = await asAdmin(app).inject({ url: '/healthz' });
      expect(response.statusCode).toBe(503);
      expect(response.json().checks).toEqual([
        { name: 'broken', ok: false, reason: 'the check threw: state unavailable' },
      ]);
    });
  });
});
