import type { Client } from 'aedes';
import { levelsCoveredBy, levelsOf } from '../rights/topic-filter.js';

interface Delivered {
  topic: string;
  qos: number;
  brokerId?: string | null;
  brokerCounter?: number;
}
type Deliver = (packet: Delivered, callback: () => void) => void;

/** What Aedes keeps on a client at run time and its typings leave out (lib/client.js). */
type DeliveringClient = Client & {
  deliver0: Deliver;
  deliverQoS: Deliver;
  subscriptions: Record<string, { qos: number }>;
};

/** The highest QoS granted to a subscription of the client that matches the topic. */
function grantedQos(subscriptions: Record<string, { qos: number }>, topic: string): number {
  let only: { qos: number } | undefined;
  let count = 0;
  for (const filter in subscriptions) {
    only = subscriptions[filter];
    count += 1;
  }
  // Aedes delivers through a subscription that matches, so a single one is the one.
  if (count === 1 && only !== undefined) return only.qos;
  const levels = levelsOf(topic);
  let granted = 0;
  for (const filter in subscriptions) {
    const qos = subscriptions[filter]?.qos ?? 0;
    if (qos > granted && levelsCoveredBy(levels, levelsOf(filter))) granted = qos;
  }
  return granted;
}

/**
 * Aedes hands a message to each of a client's subscriptions that match it and sends a copy per
 * subscription, each at the QoS of the message: a QoS 2 message reaches a `+` subscription granted
 * QoS 1 at QoS 2, and overlapping subscriptions get several copies (its own check against that
 * was switched off by deliverOutOfOrder). Here each message reaches a client once, at the highest
 * QoS its matching subscriptions were granted and no higher than it was published with
 * ([MQTT-3.3.5-1], [MQTT-3.8.4-6]).
 *
 * One message's copies for one client come one after another, in the same turn of the emitter,
 * so remembering the last message delivered is enough to recognise them. Retained messages sent on
 * SUBSCRIBE carry no broker id and are not deduplicated. Called on a client as soon as Aedes has
 * made it: its subscriptions capture these functions when they are created.
 */
export function deliverAtGrantedQos(client: Client): void {
  const delivering = client as DeliveringClient;
  const { deliver0, deliverQoS } = delivering;
  let lastBrokerId: string | undefined;
  let lastCounter: number | undefined;
  const deliver: Deliver = (packet, callback) => {
    const { brokerId, brokerCounter } = packet;
    if (brokerId) {
      if (brokerId === lastBrokerId && brokerCounter === lastCounter) {
        setImmediate(callback);
        return;
      }
      lastBrokerId = brokerId;
      lastCounter = brokerCounter;
    }
    const qos = Math.min(packet.qos, grantedQos(delivering.subscriptions, packet.topic));
    if (qos === 0) return deliver0(packet, callback);
    packet.qos = qos;
    deliverQoS(packet, callback);
  };
  delivering.deliver0 = deliver;
  delivering.deliverQoS = deliver;
}
