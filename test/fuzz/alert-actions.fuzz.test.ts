import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiApp, buildApp } from '../../api/app.js';
import type { ActionPublisher, AlertActionMessage } from '../../api/live/action-publisher.js';
import { LiveStore } from '../../api/live/live-store.js';
import type { QueryPort } from '../../api/ports.js';
import { AlertEventSchema } from '../../protocol/index.js';
import { asAdmin, TEST_KEYS } from '../harness/api-keys.js';
import { oddText, RUNS } from './fuzz-inputs.js';

const noQueries: QueryPort = {
  query: async () => [],
  stream: async function* () {},
  ping: async () => ({ version: 'stand-in', major: 1 }),
};

/** Takes every message; the property is about what reaches it, not about the broker. */
const published: AlertActionMessage[] = [];
const publisher: ActionPublisher = { publish: async (message) => void published.push(message) };

const field = fc.oneof(
  oddText(),
  fc.constantFrom('2h', '30m', '31d', '0h', '-1h', '2099-01-01T00:00:00Z', '2020-01-01T00:00:00Z', ''),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc.string({ minLength: 90, maxLength: 600 }),
  fc.integer(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 2 }),
);
const body = fc.oneof(
  fc.record(
    { by: field, comment: field, until: field, for: field, v: field, station: field },
    { requiredKeys: [] },
  ),
  fc.jsonValue(),
);
const target = fc.oneof(
  fc.constantFrom(
    ['POST', '/v1/alerts/jinfo/co2-high/ack'],
    ['PUT', '/v1/alerts/jinfo/co2-high/silence'],
    ['PUT', '/v1/alerts/jinfo/silence'],
    ['DELETE', '/v1/alerts/jinfo/co2-high/silence'],
  ),
  fc
    .tuple(fc.constantFrom('POST', 'PUT'), oddText(20), oddText(20))
    .map(([method, station, rule]) => [
      method,
      `/v1/alerts/${encodeURIComponent(station)}/${encodeURIComponent(rule)}/${method === 'POST' ? 'ack' : 'silence'}`,
    ]),
) as fc.Arbitrary<[string, string]>;

let app: ApiApp;

beforeAll(async () => {
  const live = new LiveStore();
  live.applyAlert(
    AlertEventSchema.parse({
      v: 1,
      station: 'jinfo',
      rule: 'co2-high',
      state: 'firing',
      severity: 'warning',
      message: 'co2 high',
      time: Date.now() - 1000,
      since: Date.now() - 1000,
    }),
  );
  app = buildApp({
    keys: TEST_KEYS.store,
    queries: noQueries,
    live,
    logger: pino({ level: 'silent' }),
    publisher,
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
});

describe('alert action bodies, fuzzed', () => {
  it('answer 2xx or a coded 4xx problem, and publish only what the contract accepts', async () => {
    await fc.assert(
      fc.asyncProperty(target, body, async ([method, url], payload) => {
        published.length = 0;
        const response = await asAdmin(app).inject({
          method: method as 'POST' | 'PUT' | 'DELETE',
          url,
          ...(method === 'DELETE' ? {} : { payload: JSON.stringify(payload) }),
          headers: { 'content-type': 'application/json' },
        });
        expect(response.statusCode).toBeLessThan(500);
        if (response.statusCode >= 400) {
          expect(response.json()).toMatchObject({ code: expect.stringMatching(/^[A-Z_]+$/) });
          expect(published).toEqual([]);
        }
        for (const message of published) {
          if (message.kind === 'lift') continue;
          expect(message.body.by.length).toBeLessThanOrEqual(100);
          expect(message.body.by.trim()).toBe(message.body.by);
          expect(message.body.comment?.length ?? 0).toBeLessThanOrEqual(500);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
