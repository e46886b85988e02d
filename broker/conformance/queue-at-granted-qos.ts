import { delegateTo } from '../persistence/delegate-to.js';

interface Subscriber {
  clientId: string;
  qos: number;
}
interface Message {
  qos: number;
}

interface OutgoingQueue {
  outgoingEnqueueCombi(subs: Subscriber[], packet: Message): Promise<void>;
}

/** One entry per session, with the highest QoS among its subscriptions that match. */
function perSession(subs: readonly Subscriber[]): Map<string, Subscriber> {
  const sessions = new Map<string, Subscriber>();
  for (const sub of subs) {
    const known = sessions.get(sub.clientId);
    if (known === undefined || sub.qos > known.qos) sessions.set(sub.clientId, sub);
  }
  return sessions;
}

/**
 * Aedes queues a message for an offline session once per matching subscription, at the QoS it was
 * published with, and sends the queue as it is when the session returns: a session with
 * overlapping subscriptions got it twice, and a QoS 2 message reached a QoS 1 subscription at QoS 2.
 * Here each session queues it once, at the highest QoS its matching subscriptions were granted and
 * no higher than it was published with ([MQTT-3.3.5-1], [MQTT-3.8.4-6]), as live delivery does
 * (deliverOnce).
 */
export function queueAtGrantedQos<P extends object>(persistence: P): P {
  const queue = persistence as unknown as OutgoingQueue;
  const overrides: OutgoingQueue = {
    outgoingEnqueueCombi(subs, packet) {
      if (subs.length === 0) return queue.outgoingEnqueueCombi(subs, packet);
      const byQos = new Map<number, Subscriber[]>();
      for (const sub of perSession(subs).values()) {
        const qos = Math.min(sub.qos, packet.qos);
        const group = byQos.get(qos);
        if (group === undefined) byQos.set(qos, [sub]);
        else group.push(sub);
      }
      const enqueued = [...byQos].map(([qos, sessions]) =>
        queue.outgoingEnqueueCombi(sessions, qos === packet.qos ? packet : { ...packet, qos }),
      );
      return Promise.all(enqueued).then(() => undefined);
    },
  };
  return delegateTo(persistence, overrides);
}
