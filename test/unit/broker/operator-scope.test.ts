import { describe, expect, it } from 'vitest';
import { type AccountSpec, AccountSpecSchema } from '../../../broker/accounts/account-schema.js';
import { canPublish, canSubscribe } from '../../../broker/rights/account-rights.js';

const operator: AccountSpec = { kind: 'subscriber', name: 'ops', scopes: ['operator'] };
const everything: AccountSpec = { kind: 'subscriber', name: 'archive', scopes: ['all'] };
const service: AccountSpec = { kind: 'service', name: 'ingest' };
const gateway: AccountSpec = { kind: 'gateway', station: 'jinfo', gateway: 'cave-1' };

describe('the operator scope: $SYS is for operators', () => {
  it('is a subscriber scope the account schema accepts', () => {
    expect(AccountSpecSchema.parse({ kind: 'subscriber', name: 'ops', scopes: ['operator', 'all'] })).toEqual(
      {
        kind: 'subscriber',
        name: 'ops',
        scopes: ['operator', 'all'],
      },
    );
  });

  it.each([
    [operator, '$SYS/#', true],
    [operator, '$SYS/+/heartbeat', true],
    [operator, '$SYS/broker-1/stats', true],
    [operator, 'fs/v1/#', false],
    [operator, '#', false],
    [everything, '$SYS/#', false],
    [everything, '$SYS/+/stats', false],
    [service, '$SYS/#', false],
    [gateway, '$SYS/#', false],
  ] as const)('%o subscribing %s -> %s', (account, filter, expected) => {
    expect(canSubscribe(account, filter)).toBe(expected);
  });

  it('lets nobody publish to $SYS, not even an operator', () => {
    for (const account of [operator, everything, service, gateway]) {
      expect(canPublish(account, '$SYS/broker-1/heartbeat')).toBe(false);
      expect(canPublish(account, '$SYS/broker-1/stats')).toBe(false);
    }
  });
});
