import { describe, expect, it } from 'vitest';
import type { AccountSpec } from '../../../broker/accounts/account-schema.js';
import { canPublish, canSubscribe } from '../../../broker/rights/account-rights.js';

const gateway: AccountSpec = { kind: 'gateway', station: 'jinfo', gateway: 'cave-1' };
const service: AccountSpec = { kind: 'service', name: 'ingest' };
const jinfoReader: AccountSpec = { kind: 'subscriber', name: 'lab', scopes: ['jinfo'] };
const alertsReader: AccountSpec = { kind: 'subscriber', name: 'pager', scopes: ['alerts'] };
const allReader: AccountSpec = { kind: 'subscriber', name: 'archive', scopes: ['all'] };

describe('canPublish', () => {
  it.each([
    [gateway, 'fs/v1/jinfo/cave-1/readings', true],
    [gateway, 'fs/v1/jinfo/cave-1/status', true],
    [gateway, 'fs/v1/jinfo/cave-1/health', true],
    // Its own metadata, and nobody else's.
    [gateway, 'fs/v1/jinfo/cave-1/meta', true],
    [gateway, 'fs/v1/jinfo/cave-2/meta', false],
    [gateway, 'fs/v1/jinfo/cave-1/meta/extra', false],
    [gateway, 'fs/v1/jinfo/cave-1/other', false],
    [gateway, 'fs/v1/jinfo/cave-1/readings/extra', false],
    [gateway, 'fs/v1/jinfo/cave-1', false],
    [gateway, 'fs/v1/jinfo/cave-2/readings', false],
    [gateway, 'fs/v1/xuefeng/cave-1/readings', false],
    [gateway, 'fs/v1/alerts/jinfo/co2', false],
    [gateway, '$SYS/broker/x', false],
    [service, 'fs/v1/alerts/jinfo/co2-high', true],
    [service, 'fs/v1/jinfo/cave-1/readings', false],
    [service, 'fs/v1/jinfo/cave-1/meta', false],
    [service, '$SYS/broker/x', false],
    [jinfoReader, 'fs/v1/jinfo/cave-1/readings', false],
    [allReader, 'fs/v1/alerts/jinfo/co2', false],
  ] as const)('%o publishing %s -> %s', (account, topic, expected) => {
    expect(canPublish(account, topic)).toBe(expected);
  });
});

describe('canSubscribe', () => {
  it.each([
    [gateway, 'fs/v1/jinfo/cave-1/#', true],
    [gateway, 'fs/v1/jinfo/cave-1/status', true],
    [gateway, 'fs/v1/jinfo/cave-1/+', true],
    [gateway, 'fs/v1/#', false],
    [gateway, '#', false],
    [gateway, 'fs/v1/jinfo/+/status', false],
    [gateway, 'fs/v1/jinfo/cave-2/status', false],
    [service, 'fs/v1/#', true],
    [service, 'fs/v1/+/+/readings', true],
    [service, 'fs/v1/alerts/#', true],
    [service, '#', false],
    [service, '+/v1/#', false],
    [service, '$SYS/#', false],
    [jinfoReader, 'fs/v1/jinfo/#', true],
    [jinfoReader, 'fs/v1/jinfo/+/readings', true],
    [jinfoReader, 'fs/v1/alerts/jinfo/#', true],
    [jinfoReader, 'fs/v1/xuefeng/#', false],
    [jinfoReader, 'fs/v1/+/+/readings', false],
    [jinfoReader, 'fs/v1/alerts/#', false],
    [jinfoReader, 'fs/v1/alerts/+/co2', false],
    [alertsReader, 'fs/v1/alerts/#', true],
    [alertsReader, 'fs/v1/alerts/xuefeng/ice', true],
    [alertsReader, 'fs/v1/jinfo/#', false],
    [allReader, 'fs/v1/#', true],
    [allReader, 'fs/v1/+/+/status', true],
    [allReader, '#', false],
  ] as const)('%o subscribing %s -> %s', (account, filter, expected) => {
    expect(canSubscribe(account, filter)).toBe(expected);
  });

  it('joins the rights of several scopes', () => {
    const both: AccountSpec = { kind: 'subscriber', name: 'both', scopes: ['jinfo', 'xuefeng'] };
    expect(canSubscribe(both, 'fs/v1/xuefeng/#')).toBe(true);
    expect(canSubscribe(both, 'fs/v1/jinfo/#')).toBe(true);
    expect(canSubscribe(both, 'fs/v1/+/#')).toBe(false);
  });
});
