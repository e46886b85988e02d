import type { Aedes, AedesOptions, Client, PublishPacket } from 'aedes';
import { DROPPED_TOPIC, dropPublish } from '../limits/publish-drop.js';

type AuthorizePublishHandler = NonNullable<AedesOptions['authorizePublish']>;
type Publish = (packet: PublishPacket, client: Client, done: (error?: Error | null) => void) => void;

/**
 * Aedes' publish as it is implemented (aedes.js): its type declarations omit the client argument,
 * which marks the message as the client's (clientId, the 'publish' event) as Aedes' own path does.
 */
export function publishAs(aedes: Aedes): Publish {
  return (packet, client, done) => (aedes.publish as unknown as Publish).call(aedes, packet, client, done);
}

/**
 * Aedes answers a QoS 1 PUBLISH with PUBACK first and stores the message afterwards (the retained
 * copy, the queues of offline persistent sessions: lib/handlers/publish.js), so a broker killed in
 * between loses a message its publisher has already deleted from its outbox. Aedes will not change
 * this (moscajs/aedes#808). So, once the message is authorised, this hook publishes it itself and
 * lets Aedes acknowledge only when that publish has been stored and handed to the live subscribers;
 * the packet Aedes then "publishes" is re-pointed at the drop topic so nobody receives it twice.
 * A failed store closes the connection without PUBACK: the publisher sends the message again.
 */
export function acknowledgeAfterStore(
  inner: AuthorizePublishHandler,
  publish: Publish,
): AuthorizePublishHandler {
  return (client, packet, callback) => {
    // Wills (no client) are published by Aedes itself and acknowledged to nobody; QoS 0 is not
    // acknowledged, and Aedes stores QoS 2 before its PUBREC.
    if (client === null || packet.qos !== 1) return inner(client, packet, callback);
    inner(client, packet, (error) => {
      if (error || packet.topic === DROPPED_TOPIC) return callback(error);
      publish({ ...packet }, client, (publishError) => {
        if (publishError) return callback(publishError);
        dropPublish(packet);
        callback(null);
      });
    });
  };
}
