import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { BrokerError } from '../../errors.js';
import type { BrokerStorage } from '../broker-storage.js';
import type { JournalPersistenceConfig } from '../persistence-config.js';
import { encodeRecord } from './journal-format.js';
import { lockJournalDir } from './journal-lock.js';
import { replayJournal } from './journal-replay.js';
import { JournalWriter } from './journal-writer.js';
import { JournaledPersistence } from './journaled-persistence.js';

/** The journal's file inside the store's directory. */
export function journalFile(dir: string): string {
  return join(dir, 'journal');
}

/**
 * The broker's state in memory, every change appended to `<dir>/journal` and the journal replayed
 * here first. A torn last record (a crash in mid-write) is cut off, counted and logged.
 */
export async function openJournalStorage(
  config: JournalPersistenceConfig,
  logger: Logger,
): Promise<BrokerStorage> {
  const { dir } = config;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const unlock = await lockJournalDir(dir);
  try {
    const file = journalFile(dir);
    const replayed = await replayJournal(file);
    const { state, records, intactBytes, tornBytes } = replayed;
    const log = tornBytes > 0 ? logger.warn.bind(logger) : logger.info.bind(logger);
    log({ file, records, bytes: intactBytes, tornBytes }, 'broker journal replayed');
    const writer = await JournalWriter.open(
      {
        file,
        fsync: config.fsync,
        fsyncIntervalMs: config.fsyncIntervalMs,
        compactAfterBytes: config.compactAfterBytes,
        snapshot: () => Array.from(state.snapshot(), encodeRecord).join(''),
        onFailure: (error) =>
          logger.error(
            { err: error, file },
            'the broker journal cannot be written: no message is acknowledged until the broker is restarted',
          ),
      },
      intactBytes,
    );
    let closed: Promise<void> | undefined;
    return {
      persistence: new JournaledPersistence(state, writer),
      emitter: undefined,
      close: () => {
        closed ??= writer.close().finally(unlock);
        return closed;
      },
    };
  } catch (error) {
    await unlock();
    if (error instanceof BrokerError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new BrokerError(
      'STORE_UNAVAILABLE',
      `cannot open the broker journal at ${dir}: ${reason}`,
      { file: dir },
      { cause: error },
    );
  }
}
