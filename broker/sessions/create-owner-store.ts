import type { Logger } from 'pino';
import type { PersistenceConfig } from '../persistence/persistence-config.js';
import { FileOwnerStore } from './file-owner-store.js';
import { MemoryOwnerStore } from './memory-owner-store.js';
import type { OwnerStore } from './owner-store.js';
import { ownersFilePath } from './owners-file.js';
import { RedisOwnerStore } from './redis-owner-store.js';

/** The owner store that lives where the sessions do; nothing is opened before start(). */
export function createOwnerStore(config: PersistenceConfig, logger: Logger): OwnerStore {
  switch (config.type) {
    case 'memory':
      return new MemoryOwnerStore();
    case 'disk':
    case 'journal':
      return new FileOwnerStore(ownersFilePath(config.dir), logger);
    case 'redis':
      return new RedisOwnerStore(config, logger);
  }
}
