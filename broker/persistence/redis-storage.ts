import redisPersistence from 'aedes-persistence-redis';
import type { Redis } from 'ioredis';
import mqemitterRedis from 'mqemitter-redis';
import type { Logger } from 'pino';
import type { BrokerStorage } from './broker-storage.js';
import type { RedisPersistenceConfig } from './persistence-config.js';
import { closeRedis, connectRedis } from './redis-connection.js';

type EmitterOptions = Parameters<typeof mqemitterRedis>[0];

interface ClosableEmitter {
  close(callback: () => void): void;
}

// mqemitter-redis exports its channel-prefixing variant at run time but not in its typings.
const { MQEmitterRedisPrefix } = mqemitterRedis as unknown as {
  MQEmitterRedisPrefix: new (prefix: string, options: EmitterOptions) => ClosableEmitter;
};

/**
 * Redis for a broker cluster: the persistence keeps sessions, queues and retained messages where
 * every node reads them, and the emitter carries each publish to the nodes whose clients want it.
 * A node alone on Redis works too; the state then outlives the machine it ran on.
 */
export async function openRedisStorage(
  config: RedisPersistenceConfig,
  logger: Logger,
): Promise<BrokerStorage> {
  const { url, keyPrefix } = config;
  const connections: Redis[] = [];
  const closeAll = () => Promise.all(connections.map(closeRedis)).then(() => undefined);
  try {
    for (const role of ['persistence', 'publish', 'subscribe']) {
      const prefix = role === 'persistence' ? keyPrefix : undefined;
      connections.push(await connectRedis(url, { role, keyPrefix: prefix, logger }));
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  const [conn, pubConn, subConn] = connections as [Redis, Redis, Redis];
  // [MQTT-4.7.1-3]: '#' matches the parent level too, as Aedes' own emitter is set up to do.
  const options: EmitterOptions = { pubConn, subConn, matchEmptyLevels: true };
  const emitter =
    keyPrefix === undefined ? mqemitterRedis(options) : new MQEmitterRedisPrefix(keyPrefix, options);
  return {
    persistence: redisPersistence({ conn }),
    emitter: closableWhileDown(emitter, [pubConn, subConn]),
    close: closeAll,
  };
}

/**
 * mqemitter-redis closes by QUIT and waits for both connections to end, which never happens while
 * Redis is down (the QUIT waits in ioredis' offline queue), so Aedes' close would hang. Connections
 * that are not up are dropped instead.
 */
function closableWhileDown<E extends ClosableEmitter>(emitter: E, connections: readonly Redis[]): E {
  const close = emitter.close.bind(emitter);
  emitter.close = (callback) => {
    if (connections.every((redis) => redis.status === 'ready')) return close(callback);
    for (const redis of connections) redis.disconnect();
    callback();
  };
  return emitter;
}
