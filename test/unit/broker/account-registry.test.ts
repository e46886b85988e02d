import { describe, expect, it } from 'vitest';
import { AccountRegistry } from '../../../broker/accounts/account-registry.js';
import type { AccountRecord } from '../../../broker/accounts/account-schema.js';

function record(name: string, hash: string): AccountRecord {
  return {
    kind: 'service',
    name,
    username: `svc.${name}`,
    createdAt: '2025-01-01T00:00:00.000Z',
    secret: { algorithm: 'scrypt', N: 1024, r: 8, p: 1, keyLength: 32, salt: 'c2FsdA', hash },
  };
}

describe('AccountRegistry.replace', () => {
  it('revokes removed and re-keyed accounts, not unchanged or new ones', () => {
    const registry = new AccountRegistry();
    expect(registry.replace([record('a', 'aaa'), record('b', 'bbb'), record('c', 'ccc')])).toEqual({
      revoked: new Set(),
      rightsChanged: new Set(),
    });
    const { revoked } = registry.replace([record('a', 'aaa'), record('c', 'new'), record('d', 'ddd')]);
    expect(revoked).toEqual(new Set(['svc.b', 'svc.c']));
    expect(registry.get('svc.b')).toBeUndefined();
    expect(registry.get('svc.d')).toMatchObject({ name: 'd' });
    expect(registry.size).toBe(3);
  });

  it('tells a change of rights under the same secret from a revocation', () => {
    const registry = new AccountRegistry();
    const secret = record('x', 'xxx').secret;
    const client = (subscribe: string[]): AccountRecord => ({
      kind: 'client',
      name: 'lab',
      username: 'lab',
      createdAt: '2025-01-01T00:00:00.000Z',
      secret,
      publish: [],
      subscribe,
      denyPublish: [],
      denySubscribe: [],
    });
    registry.replace([client(['a/#']), record('a', 'aaa')]);
    expect(registry.replace([client(['a/#']), record('a', 'aaa')])).toEqual({
      revoked: new Set(),
      rightsChanged: new Set(),
    });
    expect(registry.replace([client(['a/b']), record('a', 'aaa')])).toEqual({
      revoked: new Set(),
      rightsChanged: new Set(['lab']),
    });
    expect(registry.get('lab')).toMatchObject({ subscribe: ['a/b'] });
  });
});
