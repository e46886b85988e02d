import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileKeyStore } from '../../../api/keys/file-key-store.js';
import { bearer } from '../../harness/api-keys.js';
import { cleanEnv, runCli } from '../../harness/cli-process.js';
import { startTestInflux, type TestInflux } from '../../harness/influxd.js';
import { type RunningStationParts, startStationParts } from '../../harness/station.js';

let influx: TestInflux;
let station: RunningStationParts;

beforeAll(async () => {
  influx = await startTestInflux('fs_api_keys');
  station = await startStationParts({ influx: influx.config });
}, 120_000);

afterAll(async () => {
  await station?.stop();
  await influx?.stop();
});

/** `fieldstation apikey …` on the station's keys file, as an operator runs it beside the server. */
async function apikey(...args: string[]): Promise<string> {
  const result = await runCli(['apikey', ...args, '--api-keys-file', station.apiKeysFile], cleanEnv());
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

async function call(path: string, key?: string) {
  const response = await fetch(station.api.url(path), { headers: key === undefined ? {} : bearer(key) });
  const body = await response.text();
  const code = response.headers.get('content-type')?.startsWith('application/problem+json')
    ? (JSON.parse(body) as { code: string }).code
    : undefined;
  return { status: response.status, code, body, retryAfter: response.headers.get('retry-after') };
}

/** A request from another loopback address, so the throttle of one client does not hold the test's own. */
function callFrom(localAddress: string, path: string, key: string) {
  const { hostname, port } = new URL(station.api.baseUrl);
  return new Promise<{ status: number; retryAfter: string | undefined }>((resolve, reject) => {
    const outgoing = request(
      { host: hostname, port, path, localAddress, headers: bearer(key) },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] }),
        );
      },
    );
    outgoing.on('error', reject).end();
  });
}

describe('API keys on a running station', () => {
  let reader: { id: string; key: string };

  it('prints a key made by the CLI once, as JSON, and the server accepts it at once', async () => {
    const issued = JSON.parse(
      await apikey(
        'add',
        '--role',
        'reader',
        '--name',
        'jinfo team',
        '--stations',
        'jinfo',
        '--expires',
        '30d',
        '--json',
      ),
    );
    expect(Object.keys(issued)).toEqual(['id', 'name', 'role', 'stations', 'expiresAt', 'key']);
    expect(issued).toMatchObject({ name: 'jinfo team', role: 'reader', stations: ['jinfo'] });
    reader = issued;
    const me = await call('/v1/me', reader.key);
    expect(me.status).toBe(200);
    expect(JSON.parse(me.body)).toEqual({
      id: issued.id,
      name: 'jinfo team',
      role: 'reader',
      stations: ['jinfo'],
      expiresAt: issued.expiresAt,
    });
  });

  it('refuses another station, a technician route and requests without a valid key', async () => {
    expect(await call('/v1/sensors/xuefeng/ice-thickness-1', reader.key)).toMatchObject({
      status: 403,
      code: 'STATION_FORBIDDEN',
    });
    expect(await call('/v1/quarantine', reader.key)).toMatchObject({ status: 403, code: 'ROLE_FORBIDDEN' });
    expect(await call('/v1/stations')).toMatchObject({ status: 401, code: 'KEY_MISSING' });
    expect(await call('/v1/stations', 'not-a-key')).toMatchObject({ status: 401, code: 'KEY_MALFORMED' });
    const expired = await new FileKeyStore(station.apiKeysFile).add({
      name: 'last year',
      role: 'reader',
      stations: null,
      expiresAt: '2025-01-01T00:00:00Z',
    });
    expect(await call('/v1/stations', expired.key)).toMatchObject({ status: 401, code: 'KEY_EXPIRED' });
    expect((await call('/healthz')).status).toBe(200);
  });

  it('refuses a key revoked by the CLI from its next request, without a restart', async () => {
    expect((await call('/v1/stations', reader.key)).status).toBe(200);
    const listed = JSON.parse(await apikey('list', '--json')) as { id: string; revokedAt: string | null }[];
    expect(listed.find((key) => key.id === reader.id)?.revokedAt).toBeNull();
    expect(await apikey('revoke', reader.id)).toBe(`revoked ${reader.id} (jinfo team)\n`);
    expect(await call('/v1/stations', reader.key)).toMatchObject({ status: 401, code: 'KEY_REVOKED' });
    const table = await apikey('list');
    expect(table).toMatch(new RegExp(`^${reader.id}\\treader\\trevoked\\tjinfo\\t`, 'm'));
  });

  it('blocks an address after 10 failures with 429 and Retry-After, and counts it all in /metrics', async () => {
    const attacker = '127.0.0.2';
    const wrong = reader.key.replace(reader.id, 'ffffffffffff');
    for (let i = 0; i < 10; i++) expect((await callFrom(attacker, '/v1/stations', wrong)).status).toBe(401);
    expect(await callFrom(attacker, '/v1/stations', station.api.key)).toEqual({
      status: 429,
      retryAfter: '60',
    });

    const technician = JSON.parse(await apikey('add', '--role', 'technician', '--name', 'ops', '--json'));
    const metrics = (await call('/metrics', technician.key)).body;
    expect(metrics).toContain('fieldstation_api_auth_failures_total{reason="KEY_UNKNOWN"} 10');
    expect(metrics).toContain('fieldstation_api_auth_failures_total{reason="KEY_REVOKED"} 1');
    expect(metrics).toContain('fieldstation_api_auth_failures_total{reason="KEY_EXPIRED"} 1');
    expect(metrics).toContain('fieldstation_api_auth_failures_total{reason="KEY_MISSING"} 1');
    expect(metrics).toContain('fieldstation_api_auth_failures_total{reason="KEY_MALFORMED"} 1');
    expect(metrics).toContain('fieldstation_api_auth_forbidden_total{reason="STATION_FORBIDDEN"} 1');
    expect(metrics).toContain('fieldstation_api_auth_throttled_total 1');
    expect(metrics).toContain('fieldstation_api_auth_blocked_addresses 1');
  });
});

describe('fieldstation apikey', () => {
  it('refuses bad input with a usage error naming the option', async () => {
    const run = (...args: string[]) =>
      runCli(['apikey', ...args, '--api-keys-file', station.apiKeysFile], cleanEnv());
    const badRole = await run('add', '--role', 'root', '--name', 'x');
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('--role');
    const past = await run('add', '--role', 'reader', '--name', 'x', '--expires', '2020-01-01T00:00:00Z');
    expect(past.stderr).toContain('--expires: "2020-01-01T00:00:00Z" is not in the future');
    const scopedAdmin = await run('add', '--role', 'admin', '--name', 'x', '--stations', 'jinfo');
    expect(scopedAdmin.stderr).toContain('--stations: an admin key');
    const unknown = await run('revoke', '0123456789ab');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('API_KEY_NOT_FOUND');
  });
});
