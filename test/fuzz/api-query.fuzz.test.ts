import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiApp, buildApp } from '../../api/app.js';
import { LiveStore } from '../../api/live/live-store.js';
import type { QueryPort } from '../../api/ports.js';
import { asAdmin, TEST_KEYS } from '../harness/api-keys.js';
import { mutated, oddText, RUNS } from './fuzz-inputs.js';

/** InfluxDB with nothing in it: the property is about parsing parameters, not about results. */
const emptyDatabase: QueryPort = {
  query: async () => [],
  stream: async function* () {},
  ping: async () => ({ version: 'stand-in', major: 1 }),
};

const ROUTES = [
  '/v1/stations',
  '/v1/series',
  '/v1/latest',
  '/v1/alerts',
  '/v1/quarantine',
  '/v1/alerts/stream',
  '/v1/completeness',
  '/v1/alerts/history',
  '/v1/alerts/silences',
  '/v1/sensors/jinfo/cave-co2-1',
];
const KEYS = [
  'station',
  'gateway',
  'sensor',
  'quantity',
  'from',
  'to',
  'every',
  'fn',
  'format',
  'limit',
  'rule',
  'start',
  'end',
  'cursor',
  'at',
];

/** Values each parameter takes when used right, and near misses. */
const plausibleValue = fc.oneof(
  fc.constantFrom('jinfo', 'cave-gw-1', 'co2-1', 'co2', 'temperature', 'Jinfo', '-x', 'a'.repeat(64)),
  fc.constantFrom('now', '-6h', '-30m', '-7d', '-1ms', '-999999999w', '-0h', '+6h', 'yesterday'),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc.constantFrom(
    '2026-11-27T08:00:00+08:00',
    '2100-01-01T00:00:00Z',
    '1969-12-31T23:59:59Z',
    '2026-02-30T00:00:00Z',
  ),
  fc.constantFrom('30s', '5m', '1h', '1d', '366d', '367d', '999999999w', '0s', '1ms'),
  fc.constantFrom('mean', 'min', 'max', 'count', 'sum', 'median', 'json', 'csv', 'xml'),
  fc.constantFrom('1', '100', '1000', '1001', '0', '-1', '1e2', '0x10', ' 5', 'NaN', 'Infinity', '1.5'),
);

/** Percent sequences that are malformed, overlong, or decode to invalid UTF-8, a NUL or a lone surrogate. */
const percentNoise = fc.constantFrom(
  '%',
  '%%',
  '%z',
  '%zz',
  '%4',
  '%00',
  '%C0%AF',
  '%ED%A0%80',
  '%FF%FE',
  '%E2%82',
  '%25',
  '%2B',
  '+',
);

/** Text for a URL, percent-encoded byte by byte as UTF-8 (a lone surrogate becomes U+FFFD), or left raw when safe. */
function encode(text: string): string {
  return Buffer.from(text, 'utf8')
    .toString('utf8')
    .replace(/[^A-Za-z0-9\-_.~]/gu, (char) => encodeURIComponent(char));
}

const value = fc.oneof(
  { arbitrary: plausibleValue.map(encode), weight: 6 },
  { arbitrary: mutated(plausibleValue).map(encode), weight: 2 },
  oddText(30).map(encode),
  fc.tuple(plausibleValue, percentNoise).map(([text, noise]) => `${encode(text)}${noise}`),
  fc.integer({ min: 10_000, max: 200_000 }).map((length) => 'x'.repeat(length)),
);
const key = fc.oneof(
  { arbitrary: fc.constantFrom(...KEYS), weight: 8 },
  oddText(8).map(encode),
  percentNoise,
);

type Pair = [string, string];
/** `name=value` or, as often, the parameter left out. */
const pair = (name: string, values: fc.Arbitrary<string>): fc.Arbitrary<Pair[]> =>
  fc.option(
    values.map((text): Pair[] => [[name, encode(text)]]),
    { nil: [] },
  );

/** Parameters each route understands, used as documented, so fuzzing starts from requests that succeed. */
const WELL_FORMED: Record<string, fc.Arbitrary<Pair[]>> = {
  '/v1/series': fc
    .tuple(
      fc.constant<Pair[]>([['station', 'jinfo']]),
      fc.constantFrom<Pair[]>(
        [['sensor', 'co2-1']],
        [['quantity', 'co2']],
        [
          ['sensor', 'co2-1'],
          ['gateway', 'gw-1'],
        ],
      ),
      pair('from', fc.constantFrom('-6h', '-7d', '2026-11-27T00:00:00Z')),
      pair('to', fc.constantFrom('now', '-1h')),
      fc.option(
        fc
          .tuple(fc.constantFrom('5m', '1h', '1d'), fc.constantFrom('mean', 'max', 'count'))
          .map(([every, fn]): Pair[] => [
            ['every', every],
            ['fn', fn],
          ]),
        { nil: [] as Pair[] },
      ),
      pair('format', fc.constantFrom('json', 'csv')),
    )
    .map((parts) => parts.flat()),
  '/v1/latest': fc
    .tuple(
      pair('station', fc.constant('jinfo')),
      pair('gateway', fc.constant('gw-1')),
      pair('quantity', fc.constant('co2')),
    )
    .map((parts) => parts.flat()),
  '/v1/sensors/jinfo/cave-co2-1': fc
    .tuple(pair('at', fc.constantFrom('2025-06-01T00:00:00Z', '2026-11-27T08:00:00+08:00')))
    .map((parts) => parts.flat()),
  '/v1/quarantine': fc
    .tuple(
      pair('limit', fc.constantFrom('1', '50', '1000')),
      pair('from', fc.constant('-1d')),
      pair('to', fc.constant('now')),
    )
    .map((parts) => parts.flat()),
};

/**
 * A route's query string: its parameters used right, some values swapped for odd ones, keys repeated,
 * unknown keys added; or a jumble of keys, values and separators.
 */
const request = fc.constantFrom(...ROUTES).chain((route) => {
  const base = WELL_FORMED[route] ?? fc.constant<Pair[]>([]);
  const perturbed = fc
    .tuple(
      base,
      fc.array(fc.tuple(fc.nat(), value), { maxLength: 2 }),
      fc.array(fc.tuple(key, value), { maxLength: 3 }),
    )
    .map(([pairs, swaps, extra]) => {
      const out = pairs.map(([k, v]): Pair => [k, v]);
      for (const [index, swapped] of swaps) {
        const at = out[index % Math.max(out.length, 1)];
        if (at !== undefined) at[1] = swapped;
      }
      return [...out, ...extra].map(([k, v]) => `${k}=${v}`).join('&');
    });
  const jumble = fc
    .array(fc.oneof(key, value, fc.constantFrom('=', '&', '&&', '==', '?', '#', ';')), { maxLength: 10 })
    .map((parts) => parts.join(''));
  const clean = base.map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));
  return fc.tuple(fc.constant(route), fc.oneof(clean, { arbitrary: perturbed, weight: 3 }, jumble));
});

let app: ApiApp;

beforeAll(async () => {
  app = buildApp({
    keys: TEST_KEYS.store,
    queries: emptyDatabase,
    live: new LiveStore(),
    logger: pino({ level: 'silent' }),
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
});

describe('HTTP query strings, fuzzed', () => {
  it('answer every /v1 route with 2xx or a coded 4xx problem, never a 5xx or a throw', async () => {
    await fc.assert(
      fc.asyncProperty(request, async ([route, query]) => {
        // The event stream never ends by itself: take its head, then hang up as a client would.
        const stream = route.endsWith('/stream');
        const response = await asAdmin(app).inject({
          method: 'GET',
          url: `${route}?${query}`,
          payloadAsStream: stream,
        });
        if (stream) response.raw.res.end();
        expect(response.statusCode).toBeLessThan(500);
        if (response.statusCode >= 400) {
          expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(response.json()).toMatchObject({
            status: response.statusCode,
            code: expect.stringMatching(/^[A-Z_]+$/),
          });
        } else {
          expect(response.statusCode).toBeGreaterThanOrEqual(200);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
