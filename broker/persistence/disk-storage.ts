import { mkdir } from 'node:fs/promises';
import levelPersistence from 'aedes-persistence-level';
import { ClassicLevel } from 'classic-level';
import { BrokerError } from '../errors.js';
import type { BrokerStorage } from './broker-storage.js';
import { CoalescedLevel } from './coalesced-level.js';
import type { DiskPersistenceConfig } from './persistence-config.js';

/** Values written kept in memory for the reads that follow (a queued message is read back on delivery). */
const READ_BACK_CACHE_BYTES = 8 * 1024 * 1024;

/**
 * LevelDB under `dir`, through a view that writes each event-loop turn's puts and deletes as one
 * batch (CoalescedLevel). Every write reaches the OS before Aedes acknowledges it, so a killed
 * broker loses nothing; LevelDB does not fsync each write, so a power cut may lose the last moments.
 */
export async function openDiskStorage(config: DiskPersistenceConfig): Promise<BrokerStorage> {
  const { dir } = config;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const db = new ClassicLevel(dir);
  try {
    await db.open();
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
    // LevelDB's lock file admits one process: a second broker on the same dir ends up here.
    const locked = (cause as { code?: unknown } | undefined)?.code === 'LEVEL_LOCKED';
    const reason = `${cause?.message ?? String(error)}${locked ? ' (is another broker using it?)' : ''}`;
    throw new BrokerError(
      'STORE_UNAVAILABLE',
      `cannot open the broker store at ${dir}: ${reason}`,
      { file: dir },
      { cause: error },
    );
  }
  const view = new CoalescedLevel(db, { cacheBytes: READ_BACK_CACHE_BYTES });
  return {
    persistence: levelPersistence(view),
    emitter: undefined,
    close: () => view.close(),
  };
}
