import type { Logger } from 'pino';
import type { PersistenceConfig } from '../persistence/persistence-config.js';
import { type LiveClientIds, NodeLiveClientIds } from './live-client-ids.js';
import { RedisLiveClientIds } from './redis-live-client-ids.js';

/** Only Redis persistence makes a cluster, so only there do other nodes' live clients need telling. */
export function createLiveClientIds(config: PersistenceConfig, logger: Logger): LiveClientIds {
  return config.type === 'redis' ? new RedisLiveClientIds(config, logger) : new NodeLiveClientIds();
}
