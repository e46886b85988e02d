import { delegateTo } from '../persistence/delegate-to.js';

interface Subscriber {
  clientId: string;
}
interface Message {
  topic: string;
  messageId?: number | undefined;
}

/** The calls of the aedes-persistence interface that fill a session's queue or take from it by id. */
interface OutgoingQueue {
  outgoingEnqueue(sub: Subscriber, packet: Message): Promise<void>;
  outgoingEnqueueCombi(subs: Subscriber[], packet: Message): Promise<void>;
  outgoingClearMessageId(client: Subscriber | { id: string }, packet: Message): Promise<unknown>;
}

/**
 * Wraps any aedes-persistence so that a persistent session's queue takes only messages its rights
 * let it receive (see createAuthorizeForward): otherwise a `#` subscription beside a deny would
 * fill an offline session's queue with messages that are withheld at delivery anyway, pushing
 * permitted ones out at the queue limit. `mayReceive` answers true when it cannot tell.
 *
 * When the hook withholds a copy from a connected persistent session, Aedes clears that copy from
 * the queue by its packet id, which a copy not yet sent does not have (lib/client.js deliverQoS);
 * the store would then clear the first unsent message of the session, one that is still owed. A
 * clear without an id is ignored here: the withheld copy was not queued, or, if the session's owner
 * was unknown to this node, it is cleared by its id when the session next returns.
 */
export function queuePermitted<P extends object>(
  persistence: P,
  mayReceive: (clientId: string, topic: string) => boolean,
): P {
  const queue = persistence as unknown as OutgoingQueue;
  const overrides: OutgoingQueue = {
    async outgoingEnqueue(sub, packet) {
      if (mayReceive(sub.clientId, packet.topic)) await queue.outgoingEnqueue(sub, packet);
    },
    outgoingEnqueueCombi(subs, packet) {
      // Most messages have no kept session to go to (clean subscribers only): nothing to filter.
      if (subs.length === 0) return queue.outgoingEnqueueCombi(subs, packet);
      return queue.outgoingEnqueueCombi(
        subs.filter((sub) => mayReceive(sub.clientId, packet.topic)),
        packet,
      );
    },
    outgoingClearMessageId(client, packet) {
      if (packet.messageId === undefined) return Promise.resolve(undefined);
      return queue.outgoingClearMessageId(client, packet);
    },
  };
  return delegateTo(persistence, overrides);
}
