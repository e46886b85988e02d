import type { Aedes, AedesOptions, Client, PublishPacket } from 'aedes';
import { DROPPED_TOPIC, dropPublish } from '../limits/publish-drop.js';
import { delegateTo } from '../persistence/delegate-to.js';

type AuthorizePublishHandler = NonNullable<AedesOptions['authorizePublish']>;
type Done = (error?: Error | null) => void;
type Publish = (packet: PublishPacket, client: Client, done: Done) => void;

/** What Aedes keeps on itself at run time and its typings leave out (aedes.js, aedes-packet). */
type CountingAedes = Aedes & { counter: number };

/** The identity Aedes gives a message it publishes: its broker id and the broker's next counter. */
interface Numbered {
  brokerId?: string;
  brokerCounter?: number;
}

interface OutgoingQueue {
  outgoingEnqueueCombi(subs: unknown[], packet: Numbered): Promise<void>;
}

/** One QoS 1 publish this hook made itself: acknowledged once stored, finished once delivered. */
interface InFlight {
  /** The client's packet, which Aedes publishes (dropped) after the PUBACK. */
  packet: PublishPacket;
  acknowledged: boolean;
  finished: boolean;
  error: Error | null | undefined;
  /** Aedes' own (dropped) publish of the acknowledged packet, waiting for this one to finish. */
  waiting: Done | undefined;
}

/**
 * Aedes answers a QoS 1 PUBLISH with PUBACK first and stores the message afterwards (the retained
 * copy, the queues of persistent sessions: lib/handlers/publish.js), so a broker killed in between
 * loses a message its publisher has already deleted from its outbox. Aedes will not change this
 * (moscajs/aedes#808). So, once the message is authorised, the hook publishes it itself and lets
 * Aedes acknowledge as soon as that publish has stored it: Aedes stores (retained copy, then every
 * persistent session's queue) before it hands a message to the live subscribers, and the store
 * view made by `persistence()` reports when the queues are written. The packet Aedes then
 * "publishes" is re-pointed at the drop topic so nobody receives it twice, and that publish ends
 * only when the real one has reached the live subscribers: Aedes reads a client's next packets
 * only after its last ones are done, so a slow subscriber still holds its publishers back as it
 * does in plain Aedes, while the PUBACK no longer waits for it.
 *
 * A store that fails closes the connection without PUBACK: the publisher sends the message again.
 */
export class AcknowledgeAfterStore {
  readonly #aedes: () => Aedes;
  /** Publishes waiting for their store, by the broker counter Aedes numbers the message with. */
  readonly #unstored = new Map<number, () => void>();
  /**
   * Each client's acknowledged publishes whose dropped packet Aedes has yet to publish, in the
   * order it acknowledged them (and so publishes them). Per client, not per packet: a WeakMap
   * written for every message cost more than the rest of this hook.
   */
  readonly #acknowledged = new WeakMap<Client, InFlight[]>();

  /** `aedes`: the broker, known once it is made (the hook is made before it). */
  constructor(aedes: () => Aedes) {
    this.#aedes = aedes;
  }

  /** The authorizePublish hook: `inner` decides, then QoS 1 from a client is published from here. */
  authorizePublish(inner: AuthorizePublishHandler): AuthorizePublishHandler {
    return (client, packet, callback) => {
      // Wills (no client) are published by Aedes itself and acknowledged to nobody; QoS 0 is not
      // acknowledged, and Aedes stores QoS 2 before its PUBREC.
      if (client === null || packet.qos !== 1) return inner(client, packet, callback);
      inner(client, packet, (error) => {
        if (error || packet.topic === DROPPED_TOPIC) return callback(error);
        this.#publish(client, packet, callback);
      });
    };
  }

  /** The store Aedes is to use, reporting each message whose persistent sessions' queues are written. */
  persistence<P extends object>(persistence: P): P {
    const queue = persistence as unknown as OutgoingQueue;
    const overrides: OutgoingQueue = {
      outgoingEnqueueCombi: (subs, packet) =>
        queue.outgoingEnqueueCombi(subs, packet).then(() => this.#stored(packet)),
    };
    return delegateTo(persistence, overrides);
  }

  /**
   * For Aedes' publish of a packet this hook acknowledged (and dropped): done once the real publish
   * has finished. Any other packet is done at once.
   */
  finishDropped(packet: PublishPacket, client: unknown, done: Done): void {
    const flights =
      typeof client === 'object' && client !== null ? this.#acknowledged.get(client as Client) : undefined;
    const index = flights === undefined ? -1 : flights.findIndex((flight) => flight.packet === packet);
    const [flight] = flights === undefined || index < 0 ? [] : flights.splice(index, 1);
    if (flight === undefined || flight.finished) done(flight?.error ?? null);
    else flight.waiting = done;
  }

  #publish(client: Client, packet: PublishPacket, callback: Done): void {
    const aedes = this.#aedes() as CountingAedes;
    // The number aedes-packet would give it (++broker.counter), taken here so the store's report
    // can be matched to this publish.
    const counter = ++aedes.counter;
    const flight: InFlight = {
      packet,
      acknowledged: false,
      finished: false,
      error: undefined,
      waiting: undefined,
    };
    const acknowledge = (): void => {
      flight.acknowledged = true;
      dropPublish(packet);
      this.#flightsOf(client).push(flight);
      callback(null);
    };
    this.#unstored.set(counter, acknowledge);
    (aedes.publish as unknown as Publish).call(aedes, copyOf(packet, aedes.id, counter), client, (error) => {
      this.#unstored.delete(counter);
      if (!flight.acknowledged) {
        // Failed before its store reported (or without one): unacknowledged, the connection closes.
        if (error) return callback(error);
        acknowledge();
      }
      flight.finished = true;
      flight.error = error;
      flight.waiting?.(error);
    });
  }

  #flightsOf(client: Client): InFlight[] {
    let flights = this.#acknowledged.get(client);
    if (flights === undefined) {
      flights = [];
      this.#acknowledged.set(client, flights);
    }
    return flights;
  }

  #stored(packet: Numbered): void {
    if (packet.brokerCounter === undefined || packet.brokerId !== this.#aedes().id) return;
    const acknowledge = this.#unstored.get(packet.brokerCounter);
    if (acknowledge === undefined) return;
    this.#unstored.delete(packet.brokerCounter);
    acknowledge();
  }
}

/**
 * The message as the hook publishes it, numbered as Aedes would number it. Built field by field:
 * a spread of the parser's packet made an object of a new shape for every message, and Aedes'
 * property reads on it went megamorphic.
 */
function copyOf(packet: PublishPacket, brokerId: string, brokerCounter: number): PublishPacket & Numbered {
  const copy = {
    cmd: packet.cmd,
    brokerId,
    brokerCounter,
    topic: packet.topic,
    payload: packet.payload,
    qos: packet.qos,
    retain: packet.retain,
    dup: packet.dup,
    messageId: packet.messageId,
  };
  return packet.properties === undefined ? copy : { ...copy, properties: packet.properties };
}
