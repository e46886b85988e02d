import type { Logger } from 'pino';
import type { BrokerStorage } from './broker-storage.js';
import { openDiskStorage } from './disk-storage.js';
import { openJournalStorage } from './journal/journal-storage.js';
import { openMemoryStorage } from './memory-storage.js';
import type { PersistenceConfig } from './persistence-config.js';
import { openRedisStorage } from './redis-storage.js';

/** Opens the store the configuration names; fails with a coded BrokerError if it cannot be reached. */
export async function openStorage(config: PersistenceConfig, logger: Logger): Promise<BrokerStorage> {
  switch (config.type) {
    case 'memory':
      return openMemoryStorage();
    case 'disk':
      return openDiskStorage(config);
    case 'journal':
      return openJournalStorage(config, logger);
    case 'redis':
      return openRedisStorage(config, logger);
  }
}
