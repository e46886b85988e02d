import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RedisPersistenceConfig } from '../persistence/persistence-config.js';
import { closeRedis, connectRedis, runOnRedis } from '../persistence/redis-connection.js';
import type { OwnerClaim, OwnerStore } from './owner-store.js';

/** The hash (under the configured key prefix) mapping each kept session's client id to its owner. */
export const OWNERS_KEY = 'session-owners';

// Each script also answers HLEN, so the count in BrokerStats follows every operation for free.
// A claim sets the field only when no account holds it (as HSETNX) and says who holds it after.
const CLAIM = `
local owner = redis.call('HGET', KEYS[1], ARGV[1])
local created = 0
if not owner then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  owner = ARGV[2]
  created = 1
end
return {owner, created, redis.call('HLEN', KEYS[1])}`;

// Compare-and-delete: only the owner ends its ownership, whatever another node did meanwhile.
const RELEASE = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then redis.call('HDEL', KEYS[1], ARGV[1]) end
return redis.call('HLEN', KEYS[1])`;

const OWNER_OF = `return {redis.call('HGET', KEYS[1], ARGV[1]), redis.call('HLEN', KEYS[1])}`;

/**
 * For Redis persistence: every node of a cluster claims, releases and looks owners up in one hash,
 * each operation a single script, so claims are atomic across nodes. Redis keeps the hash as
 * durably as it keeps the sessions (its own appendonly/save settings).
 */
export class RedisOwnerStore implements OwnerStore {
  readonly #config: RedisPersistenceConfig;
  readonly #logger: Logger;
  #redis: Redis | undefined;
  /** Owners this node has seen, for logs; Redis is asked whenever it matters. */
  readonly #known = new Map<string, string>();
  #size = 0;

  constructor(config: RedisPersistenceConfig, logger: Logger) {
    this.#config = config;
    this.#logger = logger;
  }

  async start(): Promise<void> {
    const { url, keyPrefix } = this.#config;
    this.#redis = await connectRedis(url, { role: 'session owners', keyPrefix, logger: this.#logger });
    this.#size = await this.#run((redis) => redis.hlen(OWNERS_KEY));
  }

  async stop(): Promise<void> {
    const redis = this.#redis;
    this.#redis = undefined;
    if (redis !== undefined) await closeRedis(redis);
  }

  async claim(clientId: string, username: string): Promise<OwnerClaim> {
    const [owner, created, size] = (await this.#run((redis) =>
      redis.eval(CLAIM, 1, OWNERS_KEY, clientId, username),
    )) as [string, number, number];
    this.#size = size;
    this.#known.set(clientId, owner);
    return { owner, created: created === 1 };
  }

  async release(clientId: string, username: string): Promise<void> {
    this.#size = (await this.#run((redis) =>
      redis.eval(RELEASE, 1, OWNERS_KEY, clientId, username),
    )) as number;
    if (this.#known.get(clientId) === username) this.#known.delete(clientId);
  }

  async ownerOf(clientId: string): Promise<string | undefined> {
    const [owner, size] = (await this.#run((redis) => redis.eval(OWNER_OF, 1, OWNERS_KEY, clientId))) as [
      string | null,
      number,
    ];
    this.#size = size;
    if (owner === null) this.#known.delete(clientId);
    else this.#known.set(clientId, owner);
    return owner ?? undefined;
  }

  knownOwnerOf(clientId: string): string | undefined {
    return this.#known.get(clientId);
  }

  /** HLEN of the hash as of this node's last operation: other nodes' changes show after the next one. */
  get size(): number {
    return this.#size;
  }

  #run<T>(command: (redis: Redis) => Promise<T>): Promise<T> {
    return runOnRedis(this.#redis, this.#config.url, 'session owners', command);
  }
}
