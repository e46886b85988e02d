import type { PublishPacket } from 'aedes';

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
