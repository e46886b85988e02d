import { delegateTo } from '../persistence/delegate-to.js';
import type { SessionQueueCounts } from './session-queue-counts.js';

interface SessionRef {
  id: string;
  /** Aedes passes the connected client, whose session may be clean (then nothing was counted). */
  clean?: boolean;
}
interface Subscriber {
  clientId: string;
}
interface Message {
  topic: string;
}

/** The calls of the aedes-persistence interface that add to or take from a session's queue. */
interface OutgoingQueue {
  outgoingEnqueue(sub: Subscriber, packet: Message): Promise<void>;
  outgoingEnqueueCombi(subs: Subscriber[], packet: Message): Promise<void>;
  outgoingClearMessageId(client: SessionRef, packet: unknown): Promise<unknown>;
  cleanSubscriptions(client: SessionRef): Promise<unknown>;
  outgoingStream(client: SessionRef): AsyncIterable<unknown>;
}

export interface QueueLimitOptions {
  counts: SessionQueueCounts;
  /** A connected session is exempt: its messages are on their way, not piling up. */
  isConnected: (clientId: string) => boolean;
  onDropped: (clientId: string, topic: string, first: boolean) => void;
  onRecountFailed: (clientId: string, error: unknown) => void;
}

async function countStored(queue: OutgoingQueue, clientId: string): Promise<number> {
  let stored = 0;
  for await (const _ of queue.outgoingStream({ id: clientId })) stored += 1;
  return stored;
}

/**
 * Wraps any aedes-persistence (memory, disk, Redis) so that an offline persistent session holds
 * at most `maxQueued` messages: further messages for that session are not stored, and counted,
 * while every other session and the publisher go on as before. Aedes has no such option.
 *
 * Counts live in this process. A session first seen after a restart is recounted from the store
 * in the background on its first message; until the recount lands, and for messages queued while
 * it runs, the count is approximate (it can be off by the messages of those few milliseconds).
 *
 * Only the promise form of the interface is decorated, the one Aedes 1.x calls; everything else
 * reaches the wrapped persistence unchanged, bound to it so private fields keep working.
 */
export function limitQueuedMessages<P extends object>(persistence: P, options: QueueLimitOptions): P {
  const queue = persistence as unknown as OutgoingQueue;
  const { counts } = options;
  const recount = (clientId: string): void => {
    counts.recounted(clientId, 0);
    countStored(queue, clientId).then(
      (stored) => counts.recounted(clientId, stored),
      (error: unknown) => options.onRecountFailed(clientId, error),
    );
  };
  const admitted = (subs: readonly Subscriber[], packet: Message): Subscriber[] =>
    subs.filter(({ clientId }) => {
      // The recount's stream starts before this message is stored, so it is not counted twice.
      if (!counts.knows(clientId)) recount(clientId);
      const admission = counts.admit(clientId, options.isConnected(clientId));
      if (admission !== 'queued') options.onDropped(clientId, packet.topic, admission === 'first drop');
      return admission === 'queued';
    });
  const overrides: OutgoingQueue = {
    async outgoingEnqueue(sub, packet) {
      if (admitted([sub], packet).length > 0) await queue.outgoingEnqueue(sub, packet);
    },
    outgoingEnqueueCombi(subs, packet) {
      if (subs.length === 0) return queue.outgoingEnqueueCombi(subs, packet);
      const kept = admitted(subs, packet);
      return kept.length > 0 ? queue.outgoingEnqueueCombi(kept, packet) : Promise.resolve();
    },
    outgoingClearMessageId(client, packet) {
      const cleared = queue.outgoingClearMessageId(client, packet);
      if (client.clean === true) return cleared;
      return cleared.then((message) => {
        counts.removed(client.id);
        return message;
      });
    },
    async cleanSubscriptions(client) {
      const result = await queue.cleanSubscriptions(client);
      counts.forget(client.id);
      return result;
    },
    outgoingStream: (client) => queue.outgoingStream(client),
  };
  return delegateTo(persistence, overrides);
}
