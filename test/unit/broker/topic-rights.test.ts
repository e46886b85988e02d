import { describe, expect, it } from 'vitest';
import type { AccountSpec } from '../../../broker/accounts/account-schema.js';
import { rightsFor } from '../../../broker/rights/account-rights.js';
import { type RightsFilters, TopicRights } from '../../../broker/rights/topic-rights.js';

const NONE = { publish: [], subscribe: [], denyPublish: [], denySubscribe: [] };

function rights(filters: Partial<RightsFilters>, clientId = 'probe-1', username = 'lab'): TopicRights {
  return new TopicRights({ ...NONE, ...filters }, { username, clientId });
}

describe('a client account’s rights', () => {
  it('fills %u with the username and %c with the client id', () => {
    const own = rights({ publish: ['lab/%u/%c/#'], subscribe: ['lab/%u/+'] });
    expect(own.mayPublish('lab/lab/probe-1/data')).toBe(true);
    expect(own.mayPublish('lab/lab/probe-2/data')).toBe(false);
    expect(own.mayPublish('lab/other/probe-1/data')).toBe(false);
    expect(own.maySubscribe('lab/lab/+')).toBe(true);
    expect(own.maySubscribe('lab/+/+')).toBe(false);
  });

  it('lets a deny win over an allow, for publish and subscribe', () => {
    const open = rights({
      publish: ['#'],
      subscribe: ['#'],
      denyPublish: ['fs/v1/+/+/readings'],
      denySubscribe: ['test/nosubscribe'],
    });
    expect(open.mayPublish('fs/v1/jinfo/cave-1/readings')).toBe(false);
    expect(open.mayPublish('fs/v1/jinfo/cave-1/status')).toBe(true);
    expect(open.maySubscribe('test/nosubscribe')).toBe(false);
    expect(open.maySubscribe('test/other')).toBe(true);
  });

  it('grants a filter a deny covers only in part, and holds the denied topics back at delivery', () => {
    const open = rights({ subscribe: ['#'], denySubscribe: ['test/nosubscribe', 'secret/#'] });
    for (const filter of ['#', '+/+', 'test/+', 'secret/+/x/#']) {
      expect(open.maySubscribe(filter), filter).toBe(filter !== 'secret/+/x/#');
    }
    expect(open.mayReceive('test/nosubscribe')).toBe(false);
    expect(open.mayReceive('secret/a/b')).toBe(false);
    expect(open.mayReceive('test/other')).toBe(true);
    expect(open.mayReceive('TopicA/B')).toBe(true);
  });

  it('never reaches topics starting with $, even from #', () => {
    const open = rights({ publish: ['#'], subscribe: ['#', '+/#'] });
    expect(open.mayPublish('$SYS/broker/x')).toBe(false);
    expect(open.mayPublish('$fieldstation/dropped')).toBe(false);
    expect(open.maySubscribe('$SYS/#')).toBe(false);
    expect(open.mayReceive('$SYS/broker/heartbeat')).toBe(false);
  });

  it.each(['#', 'a/b', '+', '$SYS'])('grants nothing and denies everything through %%c = %s', (clientId) => {
    const widened = rights({ publish: ['dev/%c/#', 'open/#'], subscribe: ['dev/%c'] }, clientId);
    expect(widened.mayPublish('dev/a/b/c')).toBe(false);
    expect(widened.mayPublish('open/x')).toBe(true);
    expect(widened.maySubscribe('dev/#')).toBe(false);
    const denying = rights({ publish: ['#'], denyPublish: ['dev/%c/#'] }, clientId);
    expect(denying.mayPublish('open/x')).toBe(false);
  });

  it('remembers no wrong answer when asked the same topic again', () => {
    const open = rights({ publish: ['a/#'], denyPublish: ['a/b'] });
    for (let round = 0; round < 3; round++) {
      expect(open.mayPublish('a/b')).toBe(false);
      expect(open.mayPublish('a/c')).toBe(true);
    }
    for (let n = 0; n < 600; n++) expect(open.mayPublish(`a/${n}`)).toBe(true);
    expect(open.mayPublish('a/b')).toBe(false);
  });
});

describe('rightsFor an account of each kind', () => {
  it('gives a gateway its own topics and nothing else', () => {
    const gateway: AccountSpec = { kind: 'gateway', station: 'jinfo', gateway: 'cave-1' };
    const own = rightsFor(gateway, 'cave-1');
    expect(own.mayPublish('fs/v1/jinfo/cave-1/readings')).toBe(true);
    expect(own.mayPublish('fs/v1/jinfo/cave-2/readings')).toBe(false);
    expect(own.mayReceive('fs/v1/jinfo/cave-1/config')).toBe(true);
    expect(own.mayReceive('fs/v1/jinfo/cave-2/config')).toBe(false);
  });

  it('uses the client account’s username for %u', () => {
    const client: AccountSpec = {
      kind: 'client',
      name: 'logger',
      publish: ['logs/%u/#'],
      subscribe: [],
      denyPublish: [],
      denySubscribe: [],
    };
    expect(rightsFor(client, 'x').mayPublish('logs/logger/today')).toBe(true);
  });
});
