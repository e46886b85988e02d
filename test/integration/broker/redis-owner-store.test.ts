import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OWNERS_KEY, RedisOwnerStore } from '../../../broker/sessions/redis-owner-store.js';
import { startTestRedis, type TestRedis } from '../../harness/redis.js';
import { describeOwnerStore } from '../../unit/broker/owner-store-contract.js';

// The owner store of a broker cluster against a real redis-server: every store opened here is one node.

const KEY_PREFIX = 'fs-owners-test:';

let redis: TestRedis;
let probe: Redis;

beforeAll(async () => {
  redis = await startTestRedis();
  probe = new Redis(redis.url);
});

afterEach(async () => {
  await probe.flushall();
});

afterAll(async () => {
  probe?.disconnect();
  await redis?.stop();
});

async function openNode(
  prefix: { keyPrefix?: string } = { keyPrefix: KEY_PREFIX },
): Promise<RedisOwnerStore> {
  const { keyPrefix } = prefix;
  const store = new RedisOwnerStore({ type: 'redis', url: redis.url, keyPrefix }, pino({ level: 'silent' }));
  await store.start();
  return store;
}

describeOwnerStore('redis', () => openNode(), { durable: true, shared: true });

describe('redis owner store', () => {
  it('keeps the owners in one hash under the key prefix', async () => {
    for (const prefix of [KEY_PREFIX, undefined]) {
      const store = await openNode({ keyPrefix: prefix });
      try {
        await store.claim('fs-ingest', 'svc.ingest');
        expect(await probe.hgetall(`${prefix ?? ''}${OWNERS_KEY}`)).toEqual({ 'fs-ingest': 'svc.ingest' });
      } finally {
        await store.stop();
      }
      await probe.flushall();
    }
  });

  it('counts the hash at start and follows other nodes’ changes on its next operation', async () => {
    await probe.hset(`${KEY_PREFIX}${OWNERS_KEY}`, 'a', 'svc.ingest', 'b', 'svc.ingest');
    const [one, two] = [await openNode(), await openNode()];
    try {
      expect(one.size).toBe(2);
      await two.claim('c', 'svc.ingest');
      expect(one.size).toBe(2);
      await one.ownerOf('c');
      expect(one.size).toBe(3);
    } finally {
      await Promise.all([one.stop(), two.stop()]);
    }
  });

  it('fails operations with STORE_UNAVAILABLE once stopped, and closes its connection', async () => {
    const store = await openNode();
    await store.stop();
    await expect(store.claim('fs-ingest', 'svc.ingest')).rejects.toMatchObject({
      name: 'BrokerError',
      code: 'STORE_UNAVAILABLE',
      context: { url: `${redis.url}` },
    });
    const clients = String(await probe.client('LIST'))
      .trim()
      .split('\n');
    expect(clients).toHaveLength(1);
  });
});
