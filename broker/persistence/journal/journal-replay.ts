import { readFile, truncate } from 'node:fs/promises';
import { BrokerState } from './broker-state.js';
import { decodeJournal } from './journal-format.js';

export interface ReplayedJournal {
  state: BrokerState;
  /** Records read and applied (those that found nothing to change included). */
  records: number;
  /** Length of the journal once its torn tail is cut off: where appending resumes. */
  intactBytes: number;
  /** Bytes cut off the end: a record a crash left half written. */
  tornBytes: number;
}

/**
 * Rebuilds the broker's state from the journal at `file` (none yet: an empty state) and cuts off a
 * torn tail, so that the next record is appended right after the last intact one.
 */
export async function replayJournal(file: string): Promise<ReplayedJournal> {
  const content = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return Buffer.alloc(0);
    throw error;
  });
  const { changes, intactBytes, tornBytes } = decodeJournal(content);
  const state = new BrokerState();
  for (const change of changes) state.apply(change);
  if (tornBytes > 0) await truncate(file, intactBytes);
  return { state, records: changes.length, intactBytes, tornBytes };
}
