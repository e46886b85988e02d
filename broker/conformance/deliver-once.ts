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
  duplicates: Record<string, number>;
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
 * How a message reaches a client: once, in whatever order messages come, at the QoS its
 * subscriptions were granted. Called on a client as soon as Aedes has made it: its subscriptions
 * capture the delivery functions replaced here when they are created.
 *
 * Out of order. Aedes skips a packet whose broker counter is not above the last one the client was
 * sent (`dedupe` in lib/client.js), assuming packets reach delivery in the order they were
 * numbered. They do not: a QoS 1 publish first waits for its write to the store, a retained one for
 * its retained copy, a QoS 0 one for nothing, so later packets overtake earlier ones, and the
 * earlier ones were silently dropped (measured with the disk store: 4-8% of a busy stream to a
 * persistent subscriber). So Aedes' memory of the last counter is wiped before every delivery.
 *
 * Once, at the granted QoS. Aedes hands a message to each of a client's subscriptions that match
 * and sends a copy per subscription, each at the QoS of the message: a QoS 2 message reached a `+`
 * subscription granted QoS 1 at QoS 2, and overlapping subscriptions got several copies. Here each
 * message goes out once, at the highest QoS its matching subscriptions were granted and no higher
 * than it was published with ([MQTT-3.3.5-1], [MQTT-3.8.4-6]). One message's copies for one client
 * come one after another, in one turn of the emitter, so the last message delivered is all there is
 * to remember; a copy of a message that reaches a node twice in a cluster can then be delivered
 * twice, which QoS 1 allows (the ingest stores a reading it already has as the same point).
 * Retained messages sent on SUBSCRIBE carry no broker id and are not deduplicated, and Aedes sends
 * them through deliverQoS whatever the subscription's QoS, so their QoS is always worked out.
 */
export function deliverOnce(client: Client): void {
  const delivering = client as DeliveringClient;
  const { deliver0, deliverQoS, duplicates } = delivering;
  let lastBrokerId: string | undefined;
  let lastCounter: number | undefined;
  const qosFor = (packet: Delivered, viaGrantedSubscription: boolean): number => {
    if (packet.qos === 0) return 0;
    // The most common case needs no look at the subscriptions: QoS 1 through one granted at least 1.
    if (packet.qos === 1 && viaGrantedSubscription) return 1;
    return Math.min(packet.qos, grantedQos(delivering.subscriptions, packet.topic));
  };
  /** `granted`: called by a subscription granted QoS 1 or 2 (Aedes gives those deliverQoS). */
  const deliver =
    (granted: boolean): Deliver =>
    (packet, callback) => {
      const { brokerId, brokerCounter } = packet;
      if (brokerId) {
        if (brokerId === lastBrokerId && brokerCounter === lastCounter) {
          setImmediate(callback);
          return;
        }
        lastBrokerId = brokerId;
        lastCounter = brokerCounter;
        duplicates[brokerId] = 0;
      }
      const qos = qosFor(packet, granted && Boolean(brokerId));
      if (qos === 0) return deliver0(packet, callback);
      packet.qos = qos;
      deliverQoS(packet, callback);
    };
  delivering.deliver0 = deliver(false);
  delivering.deliverQoS = deliver(true);
}
