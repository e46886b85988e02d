import { describe, expect, it } from 'vitest';
import { accessDecision } from '../../../../api/auth/access-decision.js';
import { parseBearer } from '../../../../api/auth/bearer-header.js';
import { keyVerdict } from '../../../../api/auth/key-verdict.js';
import { stationsNamed } from '../../../../api/auth/station-scope.js';
import { parseExpiry } from '../../../../api/keys/key-expiry.js';
import { generateKey, secretMatches } from '../../../../api/keys/key-secret.js';
import { MemoryKeyStore } from '../../../harness/api-keys.js';

const NOW = Date.parse('2026-12-01T00:00:00Z');

describe('parseBearer', () => {
  it('reads a key in any case of the scheme, with spaces around', () => {
    const { key } = generateKey();
    const id = key.split('_')[1];
    expect(parseBearer(`bearer   ${key} `)).toMatchObject({ ok: true, key: { id } });
    expect(parseBearer(`BEARER ${key}`).ok).toBe(true);
  });

  it('tells a missing header from a malformed one', () => {
    expect(parseBearer(undefined)).toMatchObject({ ok: false, code: 'KEY_MISSING' });
    expect(parseBearer('  ')).toMatchObject({ ok: false, code: 'KEY_MISSING' });
    expect(parseBearer('Token abc')).toMatchObject({ ok: false, code: 'KEY_MALFORMED' });
    expect(parseBearer(`Bearer fsk_${'0'.repeat(12)}_${'A'.repeat(44)}`)).toMatchObject({
      code: 'KEY_MALFORMED',
    });
  });
});

describe('keys and their digests', () => {
  it('makes a 256-bit secret that only matches its own digest', () => {
    const one = generateKey();
    const two = generateKey();
    expect(one.key).toMatch(/^fsk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const secretOf = (key: string) => key.slice('fsk_'.length + 13);
    expect(secretMatches(secretOf(one.key), one.digest)).toBe(true);
    expect(secretMatches(secretOf(two.key), one.digest)).toBe(false);
    expect(one.digest.hash).not.toContain(secretOf(one.key));
  });

  it('judges a presented key: unknown, revoked, expired or good', () => {
    const store = new MemoryKeyStore();
    const issued = store.issue({ name: 'k', role: 'reader', expiresAt: new Date(NOW + 1).toISOString() });
    const record = store.content.keys[0];
    const presented = parseBearer(`Bearer ${issued.key}`);
    if (!presented.ok || record === undefined) throw new Error('unreadable test key');
    expect(keyVerdict(undefined, presented.key, NOW)).toMatchObject({ code: 'KEY_UNKNOWN' });
    expect(keyVerdict(record, { ...presented.key, secret: 'x'.repeat(43) }, NOW)).toMatchObject({
      code: 'KEY_UNKNOWN',
    });
    expect(keyVerdict(record, presented.key, NOW)).toMatchObject({ ok: true });
    expect(keyVerdict(record, presented.key, NOW + 1)).toMatchObject({ code: 'KEY_EXPIRED' });
    expect(keyVerdict({ ...record, revokedAt: '2026-11-30T00:00:00Z' }, presented.key, NOW)).toMatchObject({
      code: 'KEY_REVOKED',
    });
  });
});

describe('parseExpiry', () => {
  it.each([
    ['30d', '2026-12-31T00:00:00.000Z'],
    ['12h', '2026-12-01T12:00:00.000Z'],
    ['2w', '2026-12-15T00:00:00.000Z'],
    ['2027-01-01T00:00:00Z', '2027-01-01T00:00:00.000Z'],
    ['2027-01-01T08:00:00+08:00', '2027-01-01T00:00:00.000Z'],
  ])('reads %s', (text, expiresAt) => {
    expect(parseExpiry(text, NOW)).toEqual({ ok: true, expiresAt });
  });

  it.each(['tomorrow', '30', '2027-01-01', '2027-01-01T00:00:00', '2020-01-01T00:00:00Z', '0d'])(
    'refuses %s',
    (text) => {
      expect(parseExpiry(text, NOW).ok).toBe(false);
    },
  );
});

describe('accessDecision', () => {
  const key = { id: 'abc', role: 'technician' as const, stations: ['jinfo'] };

  it('lets a role reach its level and those below', () => {
    expect(accessDecision(key, 'reader', []).ok).toBe(true);
    expect(accessDecision(key, 'technician', ['jinfo']).ok).toBe(true);
    expect(accessDecision(key, 'admin', [])).toMatchObject({ code: 'ROLE_FORBIDDEN' });
    expect(accessDecision(key, undefined, [])).toMatchObject({ code: 'ROLE_FORBIDDEN' });
  });

  it('refuses a station the key is not limited to; an unlimited key sees all', () => {
    expect(accessDecision(key, 'reader', ['jinfo', 'xuefeng'])).toMatchObject({ code: 'STATION_FORBIDDEN' });
    expect(accessDecision({ ...key, stations: null }, 'reader', ['xuefeng']).ok).toBe(true);
  });
});

describe('stationsNamed', () => {
  it('reads the path and the query, repeated or not, and ignores what is not a string', () => {
    expect(stationsNamed({ station: 'a', rule: 'r' }, { station: ['b', 'c'] })).toEqual(['a', 'b', 'c']);
    expect(stationsNamed(undefined, { sensor: 'x' })).toEqual([]);
    expect(stationsNamed({}, { station: { nested: 1 } })).toEqual([]);
  });
});
