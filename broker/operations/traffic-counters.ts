import type { AedesOptions, AedesPublishPacket, Client } from 'aedes';
import type { BrokerCounters } from '../broker-stats.js';

type AuthorizeForwardHandler = NonNullable<AedesOptions['authorizeForward']>;
type TrafficCounters = Pick<BrokerCounters, 'messagesIn' | 'messagesOut'>;

/**
 * For Aedes' 'publish' event: counts PUBLISH packets from clients. Aedes emits the event also for
 * its own $SYS messages and for wills of departed clients (client null); those are not traffic in.
 * A dropped publish never gets here (discardDropped).
 */
export function countPublishes(
  counters: TrafficCounters,
): (packet: AedesPublishPacket, client: Client | null) => void {
  return (_packet, client) => {
    if (client !== null) counters.messagesIn += 1;
  };
}

/**
 * Aedes asks authorizeForward once for every copy it is about to write to a subscriber, live or
 * from the offline queue when a persistent session returns, so counting the copies the inner hook
 * lets through counts messages out.
 */
export function countForwards(
  counters: TrafficCounters,
  inner: AuthorizeForwardHandler,
): AuthorizeForwardHandler {
  return (client, packet) => {
    const forwarded = inner(client, packet);
    if (forwarded) counters.messagesOut += 1;
    return forwarded;
  };
}
