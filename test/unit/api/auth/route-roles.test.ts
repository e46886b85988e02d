import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiApp, buildApp } from '../../../../api/app.js';
import { DEFAULT_THROTTLE_POLICY } from '../../../../api/auth/failure-throttle.js';
import { routeAccessTable } from '../../../../api/auth/route-access.js';
import { type AccessLevel, ROLES, type Role, roleMayUse } from '../../../../api/keys/roles.js';
import { LiveStore } from '../../../../api/live/live-store.js';
import type { QueryPort } from '../../../../api/ports.js';
import { bearer, MemoryKeyStore } from '../../../harness/api-keys.js';

const emptyDatabase: QueryPort = {
  query: async () => [],
  stream: async function* () {},
  ping: async () => ({ version: 'stand-in', major: 1 }),
};

/**
 * The contract: every route and the least role that may call it. A route added without an access
 * level, or with another level than this table says, fails the first test.
 */
const EXPECTED: Readonly<Record<string, AccessLevel>> = {
  'GET /healthz': 'public',
  'GET /': 'public',
  'GET /ui/*': 'public',
  'GET /openapi.json': 'reader',
  'GET /v1/me': 'reader',
  'GET /v1/stations': 'reader',
  'GET /v1/sensors/:station/:sensor': 'reader',
  'GET /v1/series': 'reader',
  'GET /v1/series/metadata': 'reader',
  'GET /v1/latest': 'reader',
  'GET /v1/completeness': 'reader',
  'GET /v1/alerts': 'reader',
  'GET /v1/alerts/stream': 'reader',
  'GET /v1/alerts/history': 'reader',
  'GET /v1/alerts/silences': 'reader',
  'GET /v1/quarantine': 'technician',
  'GET /metrics': 'technician',
  'POST /v1/alerts/:station/:rule/ack': 'technician',
  'PUT /v1/alerts/:station/:rule/silence': 'technician',
  'DELETE /v1/alerts/:station/:rule/silence': 'technician',
  'PUT /v1/alerts/:station/silence': 'technician',
  'GET /v1/alerts/subscriptions': 'admin',
  'PUT /v1/alerts/subscriptions': 'admin',
  'GET /v1/keys': 'admin',
  'POST /v1/keys': 'admin',
  'DELETE /v1/keys/:id': 'admin',
};

const PARAMS: Readonly<Record<string, string>> = {
  station: 'jinfo',
  sensor: 'cave-co2-1',
  rule: 'co2-high',
  id: '0123456789ab',
};
/** What the dashboard's `/ui/*` is asked for. */
const UI_FILE = 'main.js';

/** A built dashboard of two files, so the public routes have something to serve. */
function dashboardFiles(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fs-route-roles-ui-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>fieldstation</title>');
  writeFileSync(join(dir, UI_FILE), 'export {};');
  return dir;
}

const BODIES: Readonly<Record<string, unknown>> = {
  POST: { by: 'li' },
  PUT: { for: '1h', by: 'li' },
};

let app: ApiApp;
let baseUrl: string;
const keys = new MemoryKeyStore();
const keyOf = Object.fromEntries(
  ROLES.map((role) => [role, keys.issue({ name: `test-${role}`, role }).key]),
) as Record<Role, string>;

beforeAll(async () => {
  app = buildApp({
    keys,
    queries: emptyDatabase,
    live: new LiveStore(),
    logger: pino({ level: 'silent' }),
    dashboardDir: dashboardFiles(),
    // Every request without a key is a failure from this one address; the throttle has its own tests.
    throttle: { ...DEFAULT_THROTTLE_POLICY, failures: Number.MAX_SAFE_INTEGER },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await app?.close();
});

/** The routes as registered, without the HEAD twins Fastify adds to each GET. */
function routes() {
  return routeAccessTable(app).filter((route) => route.method !== 'HEAD');
}

/** Only the status line: a stream (the alert SSE) is cut as soon as its headers are in. */
async function statusOf(method: string, path: string, key: string | undefined) {
  const controller = new AbortController();
  const body = BODIES[method];
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    signal: controller.signal,
    headers: {
      ...(key === undefined ? {} : bearer(key)),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const type = response.headers.get('content-type') ?? '';
  const code = type.startsWith('application/problem+json')
    ? ((await response.json()) as { code: string }).code
    : undefined;
  controller.abort();
  return { status: response.status, code };
}

describe('the route table', () => {
  it('gives every route exactly the access level of the contract', () => {
    const table = Object.fromEntries(routes().map((route) => [`${route.method} ${route.url}`, route.access]));
    expect(table).toEqual(EXPECTED);
  });

  it('gives the HEAD twin of each GET the GET route level', () => {
    const heads = routeAccessTable(app).filter((route) => route.method === 'HEAD');
    for (const head of heads) expect(head.access).toBe(EXPECTED[`GET ${head.url}`]);
  });
});

describe.each([['no key', undefined], ...ROLES.map((role) => [role, role] as const)] as const)(
  'every route with %s',
  (_label, role) => {
    const cases = Object.entries(EXPECTED).map(([route, access]) => {
      const [method = '', url = ''] = route.split(' ');
      return { method, url, access };
    });

    it.each(cases)('$method $url ($access)', async ({ method, url, access }) => {
      const path = url
        .replace(/:(\w+)/g, (_match, name: string) => PARAMS[name] ?? name)
        .replace('*', UI_FILE);
      const { status, code } = await statusOf(method, path, role === undefined ? undefined : keyOf[role]);
      if (access === 'public') {
        // /healthz answers 503 here (no MQTT feed): what matters is that nobody is refused.
        expect([200, 503]).toContain(status);
      } else if (role === undefined) {
        expect({ status, code }).toEqual({ status: 401, code: 'KEY_MISSING' });
      } else if (!roleMayUse(role, access)) {
        expect({ status, code }).toEqual({ status: 403, code: 'ROLE_FORBIDDEN' });
      } else {
        // Let in: whatever the route then answers (200, or 404 for the sample rule), it is not a refusal.
        expect(status).not.toBe(401);
        expect(status).not.toBe(403);
        expect(status).toBeLessThan(500);
      }
    });
  },
);
