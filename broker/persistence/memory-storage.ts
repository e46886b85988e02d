import { createRequire } from 'node:module';
import type { BrokerStorage } from './broker-storage.js';

// Aedes' own dependency. Its typings declare an ES default export the CommonJS module does not have,
// so it is loaded through require with the one signature used here.
const aedesMemoryPersistence = createRequire(import.meta.url)('aedes-persistence') as () => object;

/** Aedes' in-memory persistence, created here so a wrapper can be applied to it as to the others. */
export function openMemoryStorage(): BrokerStorage {
  return { persistence: aedesMemoryPersistence(), emitter: undefined, close: async () => {} };
}
