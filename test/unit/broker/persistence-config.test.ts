import { describe, expect, it } from 'vitest';
import { BrokerConfigSchema } from '../../../broker/config.js';
import {
  PERSISTENCE_TYPES,
  PersistenceConfigSchema,
} from '../../../broker/persistence/persistence-config.js';
import { redactRedisUrl } from '../../../broker/persistence/redis-connection.js';

describe('the persistence section of the broker config', () => {
  it('is in memory when nothing is configured', () => {
    const config = BrokerConfigSchema.parse({ credentialsFile: '/tmp/accounts.json' });
    expect(config.persistence).toEqual({ type: 'memory' });
  });

  it('takes disk with a directory and redis with a URL and an optional key prefix', () => {
    expect(PersistenceConfigSchema.parse({ type: 'disk', dir: 'data/broker/store' })).toEqual({
      type: 'disk',
      dir: 'data/broker/store',
    });
    const redis = { type: 'redis', url: 'redis://:secret@10.0.0.5:6379/2', keyPrefix: 'jinfo:' };
    expect(PersistenceConfigSchema.parse(redis)).toEqual(redis);
    expect(PersistenceConfigSchema.parse({ type: 'redis', url: 'rediss://cache.example:6380' })).toEqual({
      type: 'redis',
      url: 'rediss://cache.example:6380',
    });
  });

  it.each([
    [{ type: 'disk' }, ['dir']],
    [{ type: 'redis' }, ['url']],
    [{ type: 'redis', url: 'http://10.0.0.5:6379' }, ['url']],
    [{ type: 'redis', url: 'redis://h:6379', keyPrefix: 'fs/*' }, ['keyPrefix']],
    [{ type: 'memory', dir: '/tmp' }, []],
  ])('refuses %j, naming the field', (input, path) => {
    const result = PersistenceConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(path);
  });

  it('refuses an unknown type and lists the known ones', () => {
    expect(PersistenceConfigSchema.safeParse({ type: 'mongodb' }).success).toBe(false);
    expect(PERSISTENCE_TYPES).toEqual(['memory', 'disk', 'journal', 'redis']);
  });
});

describe('redactRedisUrl', () => {
  it('masks the password and keeps the rest', () => {
    expect(redactRedisUrl('redis://fs:hunter2@10.0.0.5:6379/2')).toBe('redis://fs:***@10.0.0.5:6379/2');
    expect(redactRedisUrl('redis://10.0.0.5:6379')).toBe('redis://10.0.0.5:6379');
  });
});
