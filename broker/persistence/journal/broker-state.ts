import type { StateChange, StoredPacket, Subscription } from './journal-records.js';
import { topicMatches as matches } from './topic-matches.js';

/** A persistent session's subscription as Aedes asks for it by topic (aedes-persistence's trie entries). */
export interface TopicSubscriber {
  clientId: string;
  topic: string;
  qos: number;
  rh: number | undefined;
  rap: boolean | undefined;
  nl: boolean | undefined;
}

/** What finds the queued message an outgoingUpdate is about. */
type UpdateKey = Pick<StoredPacket, 'brokerId' | 'brokerCounter' | 'messageId'>;

/** Distinct topics whose subscribers are remembered; gateways publish on few topics each. */
const MAX_CACHED_TOPICS = 10_000;

/**
 * What aedes-persistence's memory store keeps (retained messages, the subscriptions and queues of
 * persistent sessions, QoS 2 messages being received, wills), changed only through `apply`, so the
 * same code serves the live broker and the replay of its journal. No I/O here.
 */
export class BrokerState {
  private readonly retained = new Map<string, StoredPacket>();
  private readonly subscriptions = new Map<string, Map<string, Subscription>>();
  private readonly outgoing = new Map<string, StoredPacket[]>();
  private readonly incoming = new Map<string, Map<number, StoredPacket>>();
  private readonly wills = new Map<string, StoredPacket>();
  /** subscriptionsByTopic answers per topic, dropped whenever a subscription changes. */
  private readonly byTopic = new Map<string, TopicSubscriber[]>();

  /**
   * Applies one change; false when it found nothing to change (a packet id no queue holds, a
   * session with nothing to clean). Such a change need not be journalled; a replay skips it.
   */
  apply(change: StateChange): boolean {
    switch (change.t) {
      case 'retain': {
        const topic = change.packet.topic ?? '';
        if ((change.packet.payload?.length ?? 0) === 0) this.retained.delete(topic);
        else this.retained.set(topic, change.packet);
        return true;
      }
      case 'subscribe':
        this.subscribe(change.client, change.subs);
        return true;
      case 'unsubscribe':
        return this.unsubscribe(change.client, change.topics);
      case 'cleanSubscriptions':
        this.byTopic.clear();
        return this.subscriptions.delete(change.client);
      case 'enqueue':
        for (const client of change.clients) this.queueOf(client).push({ ...change.packet });
        return true;
      case 'sent': {
        const { brokerId, brokerCounter, messageId } = change;
        return this.update(change.client, { brokerId, brokerCounter, messageId });
      }
      case 'update':
        return this.update(change.client, change.packet);
      case 'clear':
        return this.clear(change.client, change.messageId) !== undefined;
      case 'incoming':
        this.incomingOf(change.client).set(change.packet.messageId ?? 0, change.packet);
        return true;
      case 'incomingDelete':
        return this.incoming.get(change.client)?.delete(change.messageId) ?? false;
      case 'cleanIncoming':
        return this.incoming.delete(change.client);
      case 'will':
        this.wills.set(change.client, change.packet);
        return true;
      case 'willDelete':
        return this.wills.delete(change.client);
    }
  }

  /** The queued packet `clear` would remove, if any (Aedes gets it back from outgoingClearMessageId). */
  queuedWithId(client: string, messageId: number): StoredPacket | undefined {
    return this.outgoing.get(client)?.find((packet) => packet.messageId === messageId);
  }

  /**
   * What outgoingUpdate with `packet` would do: give the queued copy of the same message its packet
   * id (`sent`), put the packet in the place of another with its packet id (`replace`), or nothing.
   */
  updateKind(client: string, packet: UpdateKey): 'sent' | 'replace' | undefined {
    const queue = this.outgoing.get(client) ?? [];
    const queued = queue[this.indexForUpdate(queue, packet)];
    if (queued === undefined) return undefined;
    return queued.brokerId === packet.brokerId ? 'sent' : 'replace';
  }

  incomingPacket(client: string, messageId: number): StoredPacket | undefined {
    return this.incoming.get(client)?.get(messageId);
  }

  will(client: string): StoredPacket | undefined {
    return this.wills.get(client);
  }

  *willsNotOf(brokers: Readonly<Record<string, unknown>>): Generator<StoredPacket> {
    for (const will of this.wills.values()) {
      if (!brokers[will.brokerId ?? '']) yield will;
    }
  }

  *retainedMatching(patterns: readonly string[]): Generator<StoredPacket> {
    for (const pattern of patterns) {
      for (const [topic, packet] of this.retained) {
        if (matches(topic, pattern)) yield packet;
      }
    }
  }

  subscriptionsOf(client: string): Subscription[] {
    return [...(this.subscriptions.get(client)?.values() ?? [])].map((sub) => ({ ...sub }));
  }

  /** The QoS 1 and 2 subscriptions of persistent sessions that match `topic`. */
  subscribersOf(topic: string): TopicSubscriber[] {
    let found = this.byTopic.get(topic);
    if (found === undefined) {
      found = [];
      for (const [clientId, subs] of this.subscriptions) {
        for (const sub of subs.values()) {
          if (sub.qos === 0 || !matches(topic, sub.topic)) continue;
          found.push({ clientId, topic: sub.topic, qos: sub.qos, rh: sub.rh, rap: sub.rap, nl: sub.nl });
        }
      }
      if (this.byTopic.size >= MAX_CACHED_TOPICS) this.byTopic.clear();
      this.byTopic.set(topic, found);
    }
    return found.map((subscriber) => ({ ...subscriber }));
  }

  countOffline(): { subsCount: number; clientsCount: number } {
    let subsCount = 0;
    for (const subs of this.subscriptions.values()) {
      for (const sub of subs.values()) if (sub.qos > 0) subsCount += 1;
    }
    return { subsCount, clientsCount: this.subscriptions.size };
  }

  /** Clients holding a subscription to exactly this filter. */
  *clientsSubscribedTo(topic: string): Generator<string> {
    for (const [clientId, subs] of this.subscriptions) if (subs.has(topic)) yield clientId;
  }

  queued(client: string): StoredPacket[] {
    return [...(this.outgoing.get(client) ?? [])];
  }

  /** The shortest list of changes that rebuilds this state from nothing: a journal's snapshot. */
  *snapshot(): Generator<StateChange> {
    for (const packet of this.retained.values()) yield { t: 'retain', packet };
    for (const [client, subs] of this.subscriptions)
      yield { t: 'subscribe', client, subs: [...subs.values()] };
    for (const [client, queue] of this.outgoing) {
      for (const packet of queue) yield { t: 'enqueue', clients: [client], packet };
    }
    for (const [client, packets] of this.incoming) {
      for (const packet of packets.values()) yield { t: 'incoming', client, packet };
    }
    for (const [client, packet] of this.wills) yield { t: 'will', client, packet };
  }

  private subscribe(client: string, subs: readonly Subscription[]): void {
    let stored = this.subscriptions.get(client);
    if (stored === undefined) {
      stored = new Map();
      this.subscriptions.set(client, stored);
    }
    for (const sub of subs) stored.set(sub.topic, { ...sub });
    this.byTopic.clear();
  }

  private unsubscribe(client: string, topics: readonly string[]): boolean {
    const stored = this.subscriptions.get(client);
    if (stored === undefined) return false;
    let removed = false;
    for (const topic of topics) removed = stored.delete(topic) || removed;
    if (stored.size === 0) this.subscriptions.delete(client);
    this.byTopic.clear();
    return removed;
  }

  /**
   * As aedes-persistence's memory store: the queued copy of the same message (broker id and counter)
   * takes the packet id; otherwise a packet with the same id (a PUBREL after PUBREC) replaces it.
   * Packet ids wrap at 65535, so the counter, not the id, finds the message.
   */
  private update(client: string, packet: StoredPacket): boolean {
    const queue = this.outgoing.get(client) ?? [];
    const index = this.indexForUpdate(queue, packet);
    const queued = queue[index];
    if (queued === undefined) return false;
    if (queued.brokerId === packet.brokerId) queued.messageId = packet.messageId;
    else queue[index] = packet;
    return true;
  }

  private indexForUpdate(queue: readonly StoredPacket[], packet: UpdateKey): number {
    return queue.findIndex((queued) =>
      queued.brokerId === packet.brokerId
        ? queued.brokerCounter === packet.brokerCounter
        : queued.messageId === packet.messageId,
    );
  }

  private clear(client: string, messageId: number): StoredPacket | undefined {
    const queue = this.outgoing.get(client);
    const index = queue?.findIndex((packet) => packet.messageId === messageId) ?? -1;
    if (queue === undefined || index === -1) return undefined;
    const [cleared] = queue.splice(index, 1);
    if (queue.length === 0) this.outgoing.delete(client);
    return cleared;
  }

  private queueOf(client: string): StoredPacket[] {
    let queue = this.outgoing.get(client);
    if (queue === undefined) {
      queue = [];
      this.outgoing.set(client, queue);
    }
    return queue;
  }

  private incomingOf(client: string): Map<number, StoredPacket> {
    let packets = this.incoming.get(client);
    if (packets === undefined) {
      packets = new Map();
      this.incoming.set(client, packets);
    }
    return packets;
  }
}
