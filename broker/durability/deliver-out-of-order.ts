import type { Client } from 'aedes';

/**
 * Aedes skips a packet whose broker counter is not above the last one the client was sent
 * (`dedupe` in lib/client.js), assuming packets reach delivery in the order they were numbered.
 * They do not: a QoS 1 publish first waits for its write to the store, a retained one for its
 * retained copy, a QoS 0 one for nothing, so later packets overtake earlier ones, and the earlier
 * ones were silently dropped (measured with the disk store before storeInOrder: 4-8% of a busy
 * stream to a persistent subscriber).
 *
 * This map never remembers a counter, so nothing is skipped. What the check was there for, a copy
 * of a packet reaching a node twice in a cluster, is then delivered twice: QoS 1 promises at least
 * once, and the ingest stores a reading it already has as the same point.
 */
const NOTHING_REMEMBERED: Record<string, number> = new Proxy(Object.create(null) as Record<string, number>, {
  get: () => undefined,
  set: () => true,
  deleteProperty: () => true,
});

/** Called on a client as soon as Aedes has made it, before any packet is delivered to it. */
export function deliverOutOfOrder(client: Client): void {
  (client as Client & { duplicates: Record<string, number> }).duplicates = NOTHING_REMEMBERED;
}
