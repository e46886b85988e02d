import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RedisPersistenceConfig } from '../persistence/persistence-config.js';
import { closeRedis, connectRedis, runOnRedis } from '../persistence/redis-connection.js';
import type { ConnectingClient } from '../session-owners.js';
import type { LiveClientIds } from './live-client-ids.js';

/** Client id → `<node> <connection> <account>` of the live connection holding it (under the key prefix). */
export const LIVE_CLIENTS_KEY = 'live-clients';
/** Node → until when (Redis clock, ms) it is alive; a node that stops renewing it loses its claims. */
export const LIVE_NODES_KEY = 'live-nodes';

const DEFAULT_NODE_TTL_MS = 15_000;

// Redis' own clock, so nodes whose clocks disagree still agree on which node is alive.
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

// A live holder of another account on a node that is alive keeps the id; anything else is replaced.
const CLAIM = `${NOW}
local held = redis.call('HGET', KEYS[1], ARGV[1])
if held then
  local node, owner = string.match(held, '^(%S+) %S+ (%S+)$')
  if owner ~= ARGV[3] then
    local alive = redis.call('ZSCORE', KEYS[2], node)
    if alive and tonumber(alive) > now then return owner end
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return false`;

// Compare-and-delete: a connection taken over (by its account, on any node) releases nothing.
const RELEASE = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0`;

const RENEW = `${NOW}
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return 0`;

export interface RedisLiveClientIdsOptions {
  /** How long a node's claims outlive its last sign of life (a crash, a lost network). */
  nodeTtlMs?: number;
}

/**
 * For a cluster on Redis: every node records its live connections' client ids in one hash, next to
 * the session owners, and renews its own liveness a few times per TTL. A claim is one script, so of
 * two accounts connecting with one client id on two nodes at once exactly one gets it; the claims
 * of a node that died stop counting when its liveness runs out.
 */
export class RedisLiveClientIds implements LiveClientIds {
  readonly #config: RedisPersistenceConfig;
  readonly #logger: Logger;
  readonly #ttlMs: number;
  readonly #node = randomUUID();
  readonly #claims = new WeakMap<ConnectingClient, string>();
  #connections = 0;
  #redis: Redis | undefined;
  #renewal: NodeJS.Timeout | undefined;

  constructor(config: RedisPersistenceConfig, logger: Logger, options: RedisLiveClientIdsOptions = {}) {
    this.#config = config;
    this.#logger = logger;
    this.#ttlMs = options.nodeTtlMs ?? DEFAULT_NODE_TTL_MS;
  }

  async start(): Promise<void> {
    const { url, keyPrefix } = this.#config;
    this.#redis = await connectRedis(url, { role: 'live client ids', keyPrefix, logger: this.#logger });
    await this.#renew();
    this.#renewal = setInterval(() => {
      this.#renew().catch((error: unknown) => this.#logger.warn({ err: error }, 'node liveness not renewed'));
    }, this.#ttlMs / 3);
    this.#renewal.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#renewal);
    this.#renewal = undefined;
    const redis = this.#redis;
    this.#redis = undefined;
    if (redis === undefined) return;
    // Claims not released yet (connections still closing) stop counting with the node; a Redis that
    // is down would hold the command back until it returns, and the liveness runs out by itself.
    if (redis.status === 'ready') await redis.zrem(LIVE_NODES_KEY, this.#node).catch(() => undefined);
    await closeRedis(redis);
  }

  async claim(client: ConnectingClient, username: string): Promise<string | undefined> {
    this.#connections += 1;
    const value = `${this.#node} ${this.#connections} ${username}`;
    const holder = (await this.#run((redis) =>
      redis.eval(CLAIM, 2, LIVE_CLIENTS_KEY, LIVE_NODES_KEY, client.id, value, username),
    )) as string | null;
    if (holder !== null) return holder;
    this.#claims.set(client, value);
    return undefined;
  }

  async release(client: ConnectingClient): Promise<void> {
    const value = this.#claims.get(client);
    this.#claims.delete(client);
    // Stopped: the node's liveness is gone, and its claims with it.
    if (value === undefined || this.#redis === undefined) return;
    await this.#run((redis) => redis.eval(RELEASE, 1, LIVE_CLIENTS_KEY, client.id, value)).catch(
      (error: unknown) =>
        this.#logger.error({ err: error, clientId: client.id }, 'live client id not released'),
    );
  }

  #renew(): Promise<unknown> {
    return this.#run((redis) => redis.eval(RENEW, 1, LIVE_NODES_KEY, this.#node, this.#ttlMs));
  }

  #run<T>(command: (redis: Redis) => Promise<T>): Promise<T> {
    return runOnRedis(this.#redis, this.#config.url, 'live client ids', command);
  }
}
