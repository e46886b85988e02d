import type { Aedes, PublishPacket } from 'aedes';

/**
 * Where a dropped publish goes. MQTT 3.1.1 cannot refuse a PUBLISH: the only answers are to
 * acknowledge it or to close the connection ([MQTT-3.3.5-2]), and Aedes closes the connection
 * whenever authorizePublish fails. To drop one and keep the connection (as mosquitto does with a
 * 3.1.1 publish its ACL denies), the hook lets it through, unretained, to a topic no subscription
 * can match: it starts with `$`, which wildcard filters never match ([MQTT-4.7.2-1]), and no
 * account's rights cover it.
 */
export const DROPPED_TOPIC = '$fieldstation/dropped';

export function dropPublish(packet: PublishPacket): void {
  packet.topic = DROPPED_TOPIC;
  packet.retain = false;
}

type Done = (error?: Error | null) => void;
type Publish = (packet: PublishPacket, client: unknown, done?: Done) => void;
/** When Aedes' publish of a dropped packet is done; by default at once. */
export type FinishDropped = (packet: PublishPacket, client: unknown, done: Done) => void;

/**
 * Aedes publishes what the hook let through after it has answered the client; a dropped publish
 * (and every QoS 1 publish, which acknowledgeAfterStore has already published itself) would then
 * run the whole publish path for nobody: the store's lookups, the emitter, the events. It ends here,
 * when `finish` says so.
 */
export function discardDropped(
  aedes: Aedes,
  finish: FinishDropped = (_packet, _client, done) => done(null),
): void {
  const publish = (aedes.publish as unknown as Publish).bind(aedes);
  const discarding: Publish = (packet, client, done) => {
    if (packet.topic !== DROPPED_TOPIC) return publish(packet, client, done);
    // Aedes' publish also takes (packet, done).
    if (typeof client === 'function') return finish(packet, null, client as Done);
    if (done !== undefined) finish(packet, client, done);
  };
  aedes.publish = discarding as unknown as Aedes['publish'];
}
