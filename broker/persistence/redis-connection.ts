import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { BrokerError } from '../errors.js';

const CONNECT_TIMEOUT_MS = 5000;

/** The URL with its password masked, fit for logs and error messages. */
export function redactRedisUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}

export interface RedisConnectionOptions {
  /** What the connection is for, in logs: persistence, publish, subscribe. */
  role: string;
  /** Prefixes every key (not pub/sub channels: ioredis leaves those alone). */
  keyPrefix?: string;
  logger: Logger;
}

/**
 * Connects at once, so an unreachable Redis fails the start with its URL instead of leaving Aedes
 * waiting on a client that retries forever. Once up, the client reconnects by itself and says so.
 */
export async function connectRedis(url: string, options: RedisConnectionOptions): Promise<Redis> {
  const { role, keyPrefix, logger } = options;
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, keyPrefix });
  let lastError: Error | undefined;
  const remember = (error: Error): void => {
    lastError = error;
  };
  redis.on('error', remember);
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    // connect() rejects with a bare "Connection is closed."; the error event says why.
    const cause = lastError ?? error;
    const where = redactRedisUrl(url);
    throw new BrokerError(
      'REDIS_UNREACHABLE',
      `Redis at ${where} is unreachable: ${cause instanceof Error ? cause.message : String(cause)}`,
      { url: where },
      { cause },
    );
  }
  redis.off('error', remember);
  redis.on('error', (error) => logger.warn({ err: error, role }, 'redis connection error'));
  return redis;
}

/** QUIT lets queued writes finish first; a connection that is down has nothing to finish. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  await redis.quit().catch(() => redis.disconnect());
}

/**
 * Runs one command on a Redis a broker store uses; any failure, a connection not yet made included,
 * becomes a STORE_UNAVAILABLE BrokerError naming `subject` and the (redacted) URL.
 */
export async function runOnRedis<T>(
  redis: Redis | undefined,
  url: string,
  subject: string,
  command: (redis: Redis) => Promise<T>,
): Promise<T> {
  const where = redactRedisUrl(url);
  try {
    if (redis === undefined) throw new Error('not started');
    return await command(redis);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const message = `${subject} in Redis at ${where}: ${reason}`;
    throw new BrokerError('STORE_UNAVAILABLE', message, { url: where }, { cause: error });
  }
}
