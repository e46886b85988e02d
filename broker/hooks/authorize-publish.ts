import type { AedesOptions, Client, PublishPacket } from 'aedes';
import { BrokerError } from '../errors.js';
import { publishPacketBytes } from '../limits/packet-size.js';
import { retainForbidden } from '../rights/retain-policy.js';
import type { HookContext } from './hook-context.js';

type AuthorizePublishHandler = NonNullable<AedesOptions['authorizePublish']>;

function denial(context: HookContext, client: Client | null, packet: PublishPacket): BrokerError | undefined {
  const { topic } = packet;
  if (client === null) {
    // A stored will whose client is gone: nobody left to check its rights against.
    context.logger.warn({ topic }, 'will of a departed client not published');
    return new BrokerError('TOPIC_FORBIDDEN', 'will without a client', { topic });
  }
  const clientId = client.id;
  const username = context.sessions.usernameOf(client);
  // Already counted and logged when its header arrived; the socket is being closed.
  if (context.sessions.isOversized(client))
    return new BrokerError('PACKET_TOO_LARGE', 'oversized', { topic });
  const bytes = publishPacketBytes(topic, packet.payload, packet.qos);
  if (bytes > context.maxPacketBytes) {
    context.counters.oversized += 1;
    context.logger.warn({ account: username, clientId, topic, bytes }, 'oversized publish refused');
    return new BrokerError('PACKET_TOO_LARGE', `publish of ${bytes} bytes`, { clientId, username, topic });
  }
  const rights = context.rights.forClient(client, username);
  if (rights === undefined || !rights.mayPublish(topic)) {
    context.counters.publishDenied += 1;
    context.logger.warn({ account: username, clientId, topic }, 'publish denied');
    return new BrokerError('TOPIC_FORBIDDEN', `may not publish to ${topic}`, { clientId, username, topic });
  }
  return undefined;
}

/** Aedes publishes the very packet it passed to the hook, so clearing the flag here is honoured. */
function clearForbiddenRetain(context: HookContext, client: Client, packet: PublishPacket): void {
  if (!packet.retain || !retainForbidden(packet.topic)) return;
  packet.retain = false;
  context.counters.retainCleared += 1;
  context.logger.debug(
    { account: context.sessions.usernameOf(client), clientId: client.id, topic: packet.topic },
    'retain flag cleared',
  );
}

/**
 * A permitted publish whose retain flag the contract forbids is delivered but not retained.
 * Refusing a PUBLISH makes Aedes close the connection: it runs this hook before it sends the
 * PUBACK, and MQTT 3.1.1 has no negative acknowledgement ([MQTT-3.3.5-2]). The publisher sees its
 * connection drop with the message unacknowledged, never a silent acceptance (mosquitto does the
 * same for 3.1.1 clients).
 */
export function createAuthorizePublish(context: HookContext): AuthorizePublishHandler {
  return (client, packet, callback) => {
    const refusal = denial(context, client, packet);
    if (refusal === undefined && client !== null) clearForbiddenRetain(context, client, packet);
    callback(refusal ?? null);
  };
}
