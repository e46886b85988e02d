import { Readable } from 'node:stream';
import { delegateTo } from '../persistence/delegate-to.js';

interface Queued {
  cmd?: string;
  messageId?: number | undefined;
  dup?: boolean;
}

interface OutgoingStream {
  outgoingStream(client: { id: string }): AsyncIterable<Queued>;
}

async function* marked(queued: AsyncIterable<Queued>): AsyncGenerator<Queued> {
  for await (const packet of queued) {
    // A queued PUBLISH gets its packet id when it is first sent (outgoingUpdate), so one that has an
    // id was sent before and never acknowledged; one without has never left the broker.
    yield packet.cmd === 'publish' && packet.messageId !== undefined ? { ...packet, dup: true } : packet;
  }
}

/**
 * When a persistent session returns, Aedes re-sends its unacknowledged QoS 1 and 2 messages with
 * their packet ids ([MQTT-4.4.0-1]) but without the DUP flag, which a re-delivery must carry
 * ([MQTT-3.3.1-1]). This wraps any aedes-persistence so the queue Aedes streams at the reconnect
 * marks each message that was sent before; PUBRELs are re-sent as they are.
 */
export function markRedelivery<P extends object>(persistence: P): P {
  const store = persistence as unknown as OutgoingStream;
  const overrides: OutgoingStream = {
    outgoingStream: (client) => Readable.from(marked(store.outgoingStream(client)), { objectMode: true }),
  };
  return delegateTo(persistence, overrides);
}
