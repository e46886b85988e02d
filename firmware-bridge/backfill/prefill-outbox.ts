import type { Logger } from 'pino';
import type { Reading } from '../../protocol/index.js';
import { Outbox } from '../outbox/outbox.js';

export interface PrefillOptions {
  /** The gateway's outbox directory: the gateway delivers what is put here when it starts. */
  dir: string;
  batches: Iterable<Reading[]>;
  logger: Logger;
}

export interface PrefillResult {
  readings: number;
  messages: number;
  /** Seq of the first and last message written, -1 when none. */
  firstSeq: number;
  lastSeq: number;
  /** Outbox bytes the messages took. */
  bytes: number;
}

/**
 * Stores the backfill's messages in the gateway's own outbox, as if it had sampled a week without a
 * network. The outbox numbers them after whatever it held before, so the gateway that starts next
 * publishes them first, in order, under its own account, and its live messages continue the same
 * sequence: the ingest sees neither gap nor restart. The quota is not enforced here (the gateway's
 * quota is raised by the bytes this returns), so no backfilled message is dropped to make room.
 */
export async function prefillOutbox(options: PrefillOptions): Promise<PrefillResult> {
  const outbox = new Outbox({ dir: options.dir, maxBytes: Number.MAX_SAFE_INTEGER, logger: options.logger });
  await outbox.start();
  const before = outbox.stats().diskBytes;
  const result: PrefillResult = { readings: 0, messages: 0, firstSeq: -1, lastSeq: -1, bytes: 0 };
  try {
    for (const batch of options.batches) {
      const stored = await outbox.append(batch);
      if (result.firstSeq < 0) result.firstSeq = stored.seq;
      result.lastSeq = stored.seq;
      result.messages += 1;
      result.readings += stored.readings;
    }
    result.bytes = outbox.stats().diskBytes - before;
  } finally {
    await outbox.stop();
  }
  return result;
}
