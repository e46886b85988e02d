import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  LIVE_CLIENTS_KEY,
  LIVE_NODES_KEY,
  RedisLiveClientIds,
} from '../../../broker/sessions/redis-live-client-ids.js';
import { startTestRedis, type TestRedis } from '../../harness/redis.js';

// The live client ids of a broker cluster against a real redis-server: every store opened here is one node.

const KEY_PREFIX = 'fs-live-test:';

let redis: TestRedis;
let probe: Redis;
const nodes: RedisLiveClientIds[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  probe = new Redis(redis.url, { keyPrefix: KEY_PREFIX });
});

afterEach(async () => {
  await Promise.all(nodes.splice(0).map((node) => node.stop()));
  await probe.flushall();
});

afterAll(async () => {
  probe?.disconnect();
  await redis?.stop();
});

async function openNode(): Promise<RedisLiveClientIds> {
  const node = new RedisLiveClientIds(
    { type: 'redis', url: redis.url, keyPrefix: KEY_PREFIX },
    pino({ level: 'silent' }),
  );
  await node.start();
  nodes.push(node);
  return node;
}

/** A connecting client as the store sees one: its id, and itself as the key of its claim. */
const connection = (id: string) => ({ id, clean: true });

describe('live client ids in Redis', () => {
  it('gives a live client id to one account across nodes, and lets its own account take it over', async () => {
    const [a, b] = [await openNode(), await openNode()];
    const first = connection('shared');
    expect(await a.claim(first, 'alice')).toBeUndefined();
    expect(await b.claim(connection('shared'), 'bob')).toBe('alice');
    const takeover = connection('shared');
    expect(await b.claim(takeover, 'alice')).toBeUndefined();
    // The connection taken over closes later; its release must not free the id of the newer one.
    await a.release(first);
    expect(await a.claim(connection('shared'), 'bob')).toBe('alice');
    await b.release(takeover);
    expect(await a.claim(connection('shared'), 'bob')).toBeUndefined();
  });

  it('lets exactly one of two accounts racing for a fresh id on two nodes claim it', async () => {
    const [a, b] = [await openNode(), await openNode()];
    for (const id of ['fresh-1', 'fresh-2', 'fresh-3']) {
      const results = await Promise.all([a.claim(connection(id), 'alice'), b.claim(connection(id), 'bob')]);
      expect(results.filter((holder) => holder === undefined)).toHaveLength(1);
    }
  });

  it('stops counting the claims of a node whose liveness ran out, or that stopped', async () => {
    const [a, b] = [await openNode(), await openNode()];
    // What a node that crashed leaves: a claim under a node that no longer renews its liveness.
    await probe.hset(LIVE_CLIENTS_KEY, 'crashed', 'gone-node 1 alice');
    expect(await b.claim(connection('crashed'), 'bob')).toBeUndefined();

    expect(await a.claim(connection('lapsed'), 'alice')).toBeUndefined();
    const [aNode] = (await probe.hget(LIVE_CLIENTS_KEY, 'lapsed'))?.split(' ') ?? [];
    // Alive until the epoch: long expired, as if node A had stopped renewing.
    await probe.zadd(LIVE_NODES_KEY, 1, aNode ?? 'unknown');
    expect(await b.claim(connection('lapsed'), 'bob')).toBeUndefined();

    expect(await a.claim(connection('stopped'), 'alice')).toBeUndefined();
    await a.stop();
    expect(await b.claim(connection('stopped'), 'bob')).toBeUndefined();
  });
});
