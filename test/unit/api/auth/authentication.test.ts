import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiApp, buildApp } from '../../../../api/app.js';
import { KEY_PATTERN } from '../../../../api/auth/bearer-header.js';
import { DEFAULT_THROTTLE_POLICY } from '../../../../api/auth/failure-throttle.js';
import { LiveStore } from '../../../../api/live/live-store.js';
import type { QueryPort } from '../../../../api/ports.js';
import {
  AlertEventSchema,
  AlertSilenceSchema,
  HealthSchema,
  StatusSchema,
} from '../../../../protocol/index.js';
import { bearer, MemoryKeyStore } from '../../../harness/api-keys.js';

const T0 = Date.parse('2026-12-01T00:00:00Z');
const THROTTLE = { ...DEFAULT_THROTTLE_POLICY, failures: 3, windowMs: 60_000, blockMs: 10_000 };

const emptyDatabase: QueryPort = {
  query: async () => [],
  stream: async function* () {},
  ping: async () => ({ version: 'stand-in', major: 1 }),
};

let clock: number;
let keys: MemoryKeyStore;
let live: LiveStore;
let app: ApiApp;

function seedTwoStations(store: LiveStore): void {
  for (const [station, gateway] of [
    ['jinfo', 'cave-gw'],
    ['xuefeng', 'line-gw'],
  ] as const) {
    store.applyStatus({ station, gateway }, StatusSchema.parse({ v: 1, state: 'online' }));
    store.applyHealth(
      { station, gateway },
      HealthSchema.parse({
        v: 1,
        time: T0,
        uptimeS: 60,
        outbox: { pendingMessages: 0, diskBytes: 0, droppedMessages: 0, droppedReadings: 0 },
        published: { messages: 1, readings: 1 },
        sensors: [],
      }),
    );
    store.applyAlert(
      AlertEventSchema.parse({
        v: 1,
        station,
        rule: 'rule-a',
        state: 'firing',
        severity: 'warning',
        message: `${station} fires`,
        time: T0,
        since: T0,
      }),
    );
    store.applySilence(
      AlertSilenceSchema.parse({ v: 1, station, rule: 'rule-a', until: T0 + 3_600_000, by: 'li', time: T0 }),
    );
  }
}

beforeEach(async () => {
  clock = T0;
  keys = new MemoryKeyStore();
  live = new LiveStore(() => clock);
  seedTwoStations(live);
  app = buildApp({
    keys,
    queries: emptyDatabase,
    live,
    logger: pino({ level: 'silent' }),
    now: () => clock,
    throttle: THROTTLE,
  });
});

afterEach(async () => {
  await app.close();
});

const get = (url: string, headers: Record<string, string> = {}, remoteAddress = '192.0.2.1') =>
  app.inject({ method: 'GET', url, headers, remoteAddress });

describe('refused keys', () => {
  it('answers 401 KEY_MISSING as a problem document with a Bearer challenge', async () => {
    const response = await get('/v1/stations');
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="fieldstation"');
    expect(response.json()).toMatchObject({ status: 401, code: 'KEY_MISSING' });
  });

  it.each([
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['the scheme alone', 'Bearer'],
    ['no prefix', 'Bearer 0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a short secret', 'Bearer fsk_0123456789ab_short'],
    ['an id of capitals', 'Bearer fsk_0123456789AB_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['two tokens', 'Bearer fsk_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA extra'],
  ])('answers 401 KEY_MALFORMED for %s', async (_label, authorization) => {
    const response = await get('/v1/stations', { authorization });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('KEY_MALFORMED');
  });

  it('answers 401 KEY_UNKNOWN for an unknown id and for a known id with a wrong secret', async () => {
    const issued = keys.issue({ name: 'alice', role: 'reader' });
    const unknownId = issued.key.replace(issued.id, 'ffffffffffff');
    const wrongSecret = `${issued.key.slice(0, -1)}${issued.key.endsWith('A') ? 'B' : 'A'}`;
    for (const key of [unknownId, wrongSecret]) {
      const response = await get('/v1/stations', bearer(key));
      expect({ status: response.statusCode, code: response.json().code }).toEqual({
        status: 401,
        code: 'KEY_UNKNOWN',
      });
      expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
    }
  });

  it('answers 401 KEY_EXPIRED once the expiry has passed', async () => {
    const issued = keys.issue({ name: 'temp', role: 'reader', expiresAt: new Date(T0 + 1000).toISOString() });
    expect((await get('/v1/stations', bearer(issued))).statusCode).toBe(200);
    clock = T0 + 1000;
    const response = await get('/v1/stations', bearer(issued));
    expect({ status: response.statusCode, code: response.json().code }).toEqual({
      status: 401,
      code: 'KEY_EXPIRED',
    });
  });

  it('answers 401 KEY_REVOKED from the request after DELETE /v1/keys/:id', async () => {
    const admin = keys.issue({ name: 'admin', role: 'admin' });
    const reader = keys.issue({ name: 'bob', role: 'reader' });
    const revoked = await app.inject({
      method: 'DELETE',
      url: `/v1/keys/${reader.id}`,
      headers: bearer(admin),
    });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ id: reader.id, revokedAt: expect.any(String) });
    const response = await get('/v1/stations', bearer(reader));
    expect({ status: response.statusCode, code: response.json().code }).toEqual({
      status: 401,
      code: 'KEY_REVOKED',
    });
  });

  it('refuses a route that declares no access level, whatever the key', async () => {
    const admin = keys.issue({ name: 'admin', role: 'admin' });
    app.get('/v1/undeclared', async () => ({ ok: true }));
    const response = await get('/v1/undeclared', bearer(admin));
    expect({ status: response.statusCode, code: response.json().code }).toEqual({
      status: 403,
      code: 'ROLE_FORBIDDEN',
    });
  });

  it('fails closed with 503, telling the caller nothing of the file, when the keys cannot be read', async () => {
    const broken = new MemoryKeyStore();
    broken.find = () => Promise.reject(new Error('/secret/path/keys.json: not valid JSON'));
    const closed = buildApp({
      keys: broken,
      queries: emptyDatabase,
      live,
      logger: pino({ level: 'silent' }),
    });
    const response = await closed.inject({
      url: '/v1/stations',
      headers: bearer(keys.issue({ name: 'a', role: 'admin' })),
    });
    await closed.close();
    expect(response.statusCode).toBe(503);
    expect(response.json().code).toBe('API_KEYS_FILE_INVALID');
    expect(response.body).not.toContain('/secret/path');
  });

  it('leaves unknown paths to the 404 problem and /healthz open', async () => {
    expect((await get('/v1/nothing-here')).json().code).toBe('ROUTE_NOT_FOUND');
    expect((await get('/healthz')).statusCode).not.toBe(401);
  });
});

describe('GET /v1/me', () => {
  it('answers the key of the request, in the shape the dashboard reads', async () => {
    const issued = keys.issue({
      name: 'field tech',
      role: 'technician',
      stations: ['jinfo'],
      expiresAt: '2027-01-01T00:00:00Z',
    });
    const response = await get('/v1/me', bearer(issued));
    expect(response.json()).toEqual({
      id: issued.id,
      name: 'field tech',
      role: 'technician',
      stations: ['jinfo'],
      expiresAt: '2027-01-01T00:00:00Z',
    });
  });
});

describe('keys limited to stations', () => {
  it('are refused 403 STATION_FORBIDDEN when the path or the query names another station', async () => {
    const jinfo = keys.issue({ name: 'jinfo tech', role: 'technician', stations: ['jinfo'] });
    for (const url of [
      '/v1/sensors/xuefeng/ice-thickness-1',
      '/v1/series?station=xuefeng&sensor=ice-thickness-1',
      '/v1/completeness?station=xuefeng',
      '/v1/latest?station=jinfo&station=xuefeng',
      '/v1/alerts/history?station=xuefeng',
    ]) {
      const response = await get(url, bearer(jinfo));
      expect({ url, status: response.statusCode, code: response.json().code }).toEqual({
        url,
        status: 403,
        code: 'STATION_FORBIDDEN',
      });
    }
    const ack = await app.inject({
      method: 'POST',
      url: '/v1/alerts/xuefeng/rule-a/ack',
      headers: bearer(jinfo),
      payload: { by: 'li' },
    });
    expect(ack.json().code).toBe('STATION_FORBIDDEN');
  });

  it('see only their stations in lists', async () => {
    const jinfo = keys.issue({ name: 'jinfo reader', role: 'reader', stations: ['jinfo'] });
    const stations = (await get('/v1/stations', bearer(jinfo))).json().stations;
    expect(stations.map((s: { station: string }) => s.station)).toEqual(['jinfo']);
    const alerts = (await get('/v1/alerts', bearer(jinfo))).json().alerts;
    expect(alerts.map((a: { station: string }) => a.station)).toEqual(['jinfo']);
    const silences = (await get('/v1/alerts/silences', bearer(jinfo))).json().silences;
    expect(silences.map((s: { station: string }) => s.station)).toEqual(['jinfo']);
  });

  it('see only their stations in /metrics', async () => {
    const jinfo = keys.issue({ name: 'jinfo tech', role: 'technician', stations: ['jinfo'] });
    const everyStation = keys.issue({ name: 'ops', role: 'technician' });
    const scoped = (await get('/metrics', bearer(jinfo))).body;
    // Before, another station's gateways (and, in `up`, its message counts and gaps) were listed too.
    expect(scoped).toContain('fieldstation_api_gateways{station="jinfo",state="online"} 1');
    expect(scoped).not.toContain('xuefeng');
    expect(scoped).toContain('fieldstation_api_alerts_firing 2');
    expect((await get('/metrics', bearer(everyStation))).body).toContain(
      'fieldstation_api_gateways{station="xuefeng",state="online"} 1',
    );
  });

  it('are asked of InfluxDB for history and quarantine, so pages hold only their stations', async () => {
    const queries: string[] = [];
    const recording: QueryPort = {
      ...emptyDatabase,
      query: async (q) => {
        queries.push(q);
        return [];
      },
      stream: (q) => {
        queries.push(q);
        return emptyDatabase.stream(q);
      },
    };
    const scoped = buildApp({ keys, queries: recording, live, logger: pino({ level: 'silent' }) });
    const both = keys.issue({ name: 'two', role: 'technician', stations: ['jinfo', 'xuefeng'] });
    expect((await scoped.inject({ url: '/v1/alerts/history', headers: bearer(both) })).statusCode).toBe(200);
    expect((await scoped.inject({ url: '/v1/quarantine', headers: bearer(both) })).statusCode).toBe(200);
    await scoped.close();
    expect(queries).toHaveLength(2);
    for (const q of queries) expect(q).toContain(`("station" = 'jinfo' OR "station" = 'xuefeng')`);
  });
});

describe('gateway health', () => {
  it('is shown to technicians and hidden from readers', async () => {
    const healthOf = async (role: 'reader' | 'technician') => {
      const issued = keys.issue({ name: role, role });
      const stations = (await get('/v1/stations', bearer(issued))).json().stations;
      return stations[0].gateways[0].health;
    };
    expect(await healthOf('reader')).toBeNull();
    expect(await healthOf('technician')).toMatchObject({ uptimeS: 60 });
  });
});

describe('response headers', () => {
  it('forbid storing what a key opened, the new key above all, and sniffing any answer', async () => {
    const admin = keys.issue({ name: 'admin', role: 'admin' });
    const created = await app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: bearer(admin),
      payload: { name: 'dashboard', role: 'reader' },
    });
    const answers = [
      created,
      await get('/v1/stations', bearer(admin)),
      await get('/v1/series?station=jinfo&sensor=co2-1', bearer(admin)),
      await get('/v1/stations'),
    ];
    // Before, none carried either header: a browser or proxy was free to keep a key's answers.
    for (const { headers } of answers) {
      expect(headers['cache-control']).toBe('no-store');
      expect(headers['x-content-type-options']).toBe('nosniff');
    }
    const health = await get('/healthz');
    expect(health.headers['x-content-type-options']).toBe('nosniff');
    expect(health.headers['cache-control']).toBeUndefined();
  });
});

describe('key management', () => {
  it('creates a key whose secret is answered once and works at once', async () => {
    const admin = keys.issue({ name: 'admin', role: 'admin' });
    const created = await app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: bearer(admin),
      payload: { name: 'dashboard', role: 'reader', stations: ['jinfo'], expires: '30d' },
    });
    expect(created.statusCode).toBe(201);
    const issued = created.json();
    expect(issued).toMatchObject({
      name: 'dashboard',
      role: 'reader',
      stations: ['jinfo'],
      expiresAt: new Date(T0 + 30 * 86_400_000).toISOString(),
      key: expect.stringMatching(/^fsk_[0-9a-f]{12}_/),
    });
    expect((await get('/v1/me', bearer(issued.key))).json().name).toBe('dashboard');
    const listed = (await get('/v1/keys', bearer(admin))).json().keys;
    expect(listed.map((k: { name: string }) => k.name)).toEqual(['admin', 'dashboard']);
    // The secret is base64url and may itself hold '_': everything after the id is the secret.
    const secret = KEY_PATTERN.exec(issued.key)?.[2];
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(JSON.stringify(listed)).not.toContain('digest');
  });

  it('refuses an admin key limited to stations and an expiry in the past', async () => {
    const admin = keys.issue({ name: 'admin', role: 'admin' });
    const post = (payload: object) =>
      app.inject({ method: 'POST', url: '/v1/keys', headers: bearer(admin), payload });
    const limited = await post({ name: 'x', role: 'admin', stations: ['jinfo'] });
    expect(limited.statusCode).toBe(400);
    expect(limited.json().errors[0].parameter).toBe('stations');
    const past = await post({ name: 'x', role: 'reader', expires: '2020-01-01T00:00:00Z' });
    expect(past.json()).toMatchObject({ status: 400, errors: [{ parameter: 'expires' }] });
    const unknown = await app.inject({
      method: 'DELETE',
      url: '/v1/keys/0123456789ab',
      headers: bearer(admin),
    });
    expect(unknown.json()).toMatchObject({ status: 404, code: 'API_KEY_NOT_FOUND' });
  });
});

describe('failed attempts', () => {
  it('block the address with 429 AUTH_THROTTLED and Retry-After, doubling, and are counted in /metrics', async () => {
    const reader = keys.issue({ name: 'reader', role: 'reader' });
    const technician = keys.issue({ name: 'ops', role: 'technician' });
    const attacker = '198.51.100.7';
    for (let i = 0; i < THROTTLE.failures; i++) {
      expect((await get('/v1/stations', { authorization: 'Bearer nonsense' }, attacker)).statusCode).toBe(
        401,
      );
    }
    const blocked = await get('/v1/stations', bearer(reader), attacker);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe('AUTH_THROTTLED');
    expect(blocked.headers['retry-after']).toBe('10');
    // Other addresses and public routes are not affected.
    expect((await get('/v1/stations', bearer(reader))).statusCode).toBe(200);
    expect((await get('/healthz', {}, attacker)).statusCode).not.toBe(429);

    clock += THROTTLE.blockMs;
    expect((await get('/v1/stations', bearer(reader), attacker)).statusCode).toBe(200);
    for (let i = 0; i < THROTTLE.failures; i++)
      await get('/v1/stations', { authorization: 'Bearer nonsense' }, attacker);
    expect((await get('/v1/stations', bearer(reader), attacker)).headers['retry-after']).toBe('20');

    const metrics = (await get('/metrics', bearer(technician))).body;
    expect(metrics).toContain('fieldstation_api_auth_failures_total{reason="KEY_MALFORMED"} 6');
    expect(metrics).toContain('fieldstation_api_auth_failures_total{reason="KEY_MISSING"} 0');
    expect(metrics).toContain('fieldstation_api_auth_failures_total{reason="KEY_REVOKED"} 0');
    expect(metrics).toContain('fieldstation_api_auth_throttled_total 2');
    expect(metrics).toContain('fieldstation_api_auth_blocked_addresses 1');
  });

  it('do not count requests without a key, all that another site can make a browser send', async () => {
    const reader = keys.issue({ name: 'reader', role: 'reader' });
    const technician = keys.issue({ name: 'ops', role: 'technician' });
    const office = '203.0.113.9';
    // A page elsewhere fetching /v1/stations (mode no-cors) once a second, from a visitor behind the office NAT.
    for (let i = 0; i < THROTTLE.failures * 3; i++) {
      expect((await get('/v1/stations', {}, office)).json().code).toBe('KEY_MISSING');
    }
    // Before, the office's address was blocked and its people got 429 with their own good keys.
    expect((await get('/v1/stations', bearer(reader), office)).statusCode).toBe(200);
    const metrics = (await get('/metrics', bearer(technician))).body;
    expect(metrics).toContain(
      `fieldstation_api_auth_failures_total{reason="KEY_MISSING"} ${THROTTLE.failures * 3}`,
    );
    expect(metrics).toContain('fieldstation_api_auth_blocked_addresses 0');
  });

  it('behind a trusted proxy, block the client that failed and not the others behind it', async () => {
    const proxied = buildApp({
      keys,
      queries: emptyDatabase,
      live,
      logger: pino({ level: 'silent' }),
      now: () => clock,
      throttle: THROTTLE,
      trustedProxies: ['10.0.0.1'],
    });
    const reader = keys.issue({ name: 'reader', role: 'reader' });
    const via = (client: string, remoteAddress: string, key: string) =>
      proxied.inject({
        url: '/v1/stations',
        remoteAddress,
        headers: { ...bearer(key), 'x-forwarded-for': client },
      });
    for (let i = 0; i < THROTTLE.failures; i++) await via('198.51.100.7', '10.0.0.1', 'Bearer nonsense');
    expect((await via('198.51.100.7', '10.0.0.1', reader.key)).statusCode).toBe(429);
    // Before, every client behind the proxy had its address and was blocked with the attacker.
    expect((await via('198.51.100.8', '10.0.0.1', reader.key)).statusCode).toBe(200);
    // From an address that is no trusted proxy the header is not believed: no way out of a block.
    for (let i = 0; i < THROTTLE.failures; i++) await via('192.0.2.50', '192.0.2.66', 'Bearer nonsense');
    expect((await via('192.0.2.51', '192.0.2.66', reader.key)).statusCode).toBe(429);
    await proxied.close();
  });

  it('counts 403 refusals apart, without throttling them', async () => {
    const reader = keys.issue({ name: 'reader', role: 'reader', stations: ['jinfo'] });
    const technician = keys.issue({ name: 'ops', role: 'technician' });
    for (let i = 0; i < THROTTLE.failures + 1; i++) {
      expect((await get('/v1/quarantine', bearer(reader))).statusCode).toBe(403);
    }
    expect((await get('/v1/sensors/xuefeng/x', bearer(reader))).statusCode).toBe(403);
    const metrics = (await get('/metrics', bearer(technician))).body;
    expect(metrics).toContain('fieldstation_api_auth_forbidden_total{reason="ROLE_FORBIDDEN"} 4');
    expect(metrics).toContain('fieldstation_api_auth_forbidden_total{reason="STATION_FORBIDDEN"} 1');
  });
});

describe('the OpenAPI document', () => {
  it('declares the bearer scheme for every route but /healthz', async () => {
    const reader = keys.issue({ name: 'reader', role: 'reader' });
    const document = (await get('/openapi.json', bearer(reader))).json();
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.security).toEqual([{ bearerAuth: [] }]);
    expect(document.paths['/healthz'].get.security).toEqual([]);
    expect(document.paths['/v1/stations'].get.security).toBeUndefined();
  });
});
