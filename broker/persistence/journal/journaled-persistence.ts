import { Readable } from 'node:stream';
import type { BrokerState, TopicSubscriber } from './broker-state.js';
import { encodeRecord } from './journal-format.js';
import type { StateChange, StoredPacket, Subscription } from './journal-records.js';

/** The journal as this store writes to it (JournalWriter). */
export interface JournalAppender {
  append(line: string, durable: true): Promise<void>;
  append(line: string, durable: false): void;
}

/** A packet as Aedes hands it in: an aedes-packet, or a plain object for its own publishes. */
interface AedesPacket {
  cmd?: string;
  brokerId?: string;
  brokerCounter?: number;
  topic: string;
  payload?: Buffer | string;
  qos?: number;
  retain?: boolean;
  dup?: boolean;
  messageId?: number;
  clientId?: string;
  messageExpiry?: number;
  properties?: Record<string, unknown>;
}

interface AedesClient {
  id: string;
}

type AedesSubscription = Subscription & { clientId?: string };

/**
 * The payload in a buffer of its own size: the parser hands out slices of the socket's chunks, and
 * a queued slice would keep its whole chunk in memory for as long as the message waits.
 */
function ownPayload(payload: Buffer | string | undefined): Buffer {
  if (!Buffer.isBuffer(payload)) return Buffer.from(payload ?? '');
  if (payload.byteLength === payload.buffer.byteLength) return payload;
  const copy = Buffer.allocUnsafeSlow(payload.byteLength);
  copy.set(payload);
  return copy;
}

const PACKET_FIELDS = [
  'cmd',
  'brokerId',
  'brokerCounter',
  'topic',
  'qos',
  'retain',
  'dup',
  'messageId',
  'clientId',
  'messageExpiry',
  'properties',
] as const;

/** The fields of a packet that a store keeps, those it has and nothing else of the object it came in. */
function stored(packet: AedesPacket): StoredPacket {
  const copy: Record<string, unknown> = {};
  for (const field of PACKET_FIELDS) {
    if (packet[field] !== undefined) copy[field] = packet[field];
  }
  if (packet.payload !== undefined) copy.payload = ownPayload(packet.payload);
  return copy as StoredPacket;
}

/** A message as a session's queue holds it, shaped as aedes-packet (Aedes' memory store) shapes it. */
function queuedPacket(packet: AedesPacket): StoredPacket {
  const copy = stored(packet);
  copy.cmd ??= 'publish';
  copy.payload ??= Buffer.alloc(0);
  copy.qos ??= 0;
  copy.retain ??= false;
  copy.dup ??= false;
  // [MQTT-2.3.1-1] a queued message has no packet id until it is sent.
  if (copy.qos > 0 || copy.cmd !== 'publish') copy.messageId = undefined;
  return copy;
}

function subscription(sub: AedesSubscription): Subscription {
  const copy: Subscription = { topic: sub.topic, qos: sub.qos };
  if (sub.rh !== undefined) copy.rh = sub.rh;
  if (sub.rap !== undefined) copy.rap = sub.rap;
  if (sub.nl !== undefined) copy.nl = sub.nl;
  if (sub.subscriptionIdentifier !== undefined) copy.subscriptionIdentifier = sub.subscriptionIdentifier;
  return copy;
}

function noSuchPacket(): Error {
  return new Error('no such packet');
}

/**
 * The aedes-persistence interface (the promise form Aedes 1.2 calls) over a BrokerState kept in
 * memory: every change is applied at once, so reads see it, and appended to the journal. What
 * Aedes may acknowledge or act on (a queued or retained message, a subscription, a will, a QoS 2
 * message received) resolves only once its journal line is written per the fsync policy. A packet
 * id given to a queued message on sending, and its removal on PUBACK, do not wait: lost with a
 * crash, they make the message go out again after the restart, which QoS 1 allows.
 */
export class JournaledPersistence {
  #broker: { id: string } | undefined;

  constructor(
    private readonly state: BrokerState,
    private readonly journal: JournalAppender,
  ) {}

  /** The broker set up with, as aedes-persistence's stores expose it (its shared tests read it). */
  get broker(): { id: string } | undefined {
    return this.#broker;
  }

  async setup(broker: { id: string }): Promise<void> {
    this.#broker = broker;
  }

  async storeRetained(packet: AedesPacket): Promise<void> {
    await this.durably({ t: 'retain', packet: stored(packet) });
  }

  createRetainedStream(pattern: string): Readable {
    return Readable.from(this.state.retainedMatching([pattern]));
  }

  createRetainedStreamCombi(patterns: string[]): Readable {
    return Readable.from(this.state.retainedMatching(patterns));
  }

  async addSubscriptions(client: AedesClient, subs: AedesSubscription[]): Promise<void> {
    await this.durably({ t: 'subscribe', client: client.id, subs: subs.map(subscription) });
  }

  async removeSubscriptions(client: AedesClient, topics: string[]): Promise<void> {
    await this.durably({ t: 'unsubscribe', client: client.id, topics });
  }

  async subscriptionsByClient(client: AedesClient): Promise<Subscription[]> {
    return this.state.subscriptionsOf(client.id);
  }

  async countOffline(): Promise<{ subsCount: number; clientsCount: number }> {
    return this.state.countOffline();
  }

  async subscriptionsByTopic(topic: string): Promise<TopicSubscriber[]> {
    return this.state.subscribersOf(topic);
  }

  async cleanSubscriptions(client: AedesClient): Promise<void> {
    await this.durably({ t: 'cleanSubscriptions', client: client.id });
  }

  async outgoingEnqueue(sub: { clientId: string }, packet: AedesPacket): Promise<void> {
    await this.outgoingEnqueueCombi([sub], packet);
  }

  async outgoingEnqueueCombi(subs: { clientId: string }[], packet: AedesPacket): Promise<void> {
    if (subs.length === 0) return;
    const queued = queuedPacket(packet);
    await this.durably({ t: 'enqueue', clients: subs.map((sub) => sub.clientId), packet: queued });
  }

  async outgoingUpdate(client: AedesClient, packet: AedesPacket): Promise<void> {
    const kind = this.state.updateKind(client.id, packet);
    if (kind === undefined) throw noSuchPacket();
    const { brokerId, brokerCounter, messageId = 0 } = packet;
    // Sending a queued message only gives it its packet id: the journal need not repeat the payload.
    this.soon(
      kind === 'sent'
        ? { t: 'sent', client: client.id, brokerId, brokerCounter, messageId }
        : { t: 'update', client: client.id, packet: stored(packet) },
    );
  }

  async outgoingClearMessageId(
    client: AedesClient,
    packet: { messageId?: number },
  ): Promise<StoredPacket | undefined> {
    const messageId = packet.messageId ?? -1;
    const queued = this.state.queuedWithId(client.id, messageId);
    if (queued !== undefined) this.soon({ t: 'clear', client: client.id, messageId });
    return queued;
  }

  outgoingStream(client: AedesClient): Readable {
    return Readable.from(this.state.queued(client.id));
  }

  async incomingStorePacket(client: AedesClient, packet: AedesPacket): Promise<void> {
    await this.durably({ t: 'incoming', client: client.id, packet: stored(packet) });
  }

  async incomingGetPacket(client: AedesClient, packet: { messageId?: number }): Promise<StoredPacket> {
    const found = this.state.incomingPacket(client.id, packet.messageId ?? -1);
    if (found === undefined) throw noSuchPacket();
    return found;
  }

  async incomingDelPacket(client: AedesClient, packet: { messageId?: number }): Promise<void> {
    const change: StateChange = { t: 'incomingDelete', client: client.id, messageId: packet.messageId ?? -1 };
    if (!(await this.durably(change))) throw noSuchPacket();
  }

  async cleanIncoming(client: AedesClient): Promise<void> {
    await this.durably({ t: 'cleanIncoming', client: client.id });
  }

  async putWill(client: AedesClient, packet: AedesPacket): Promise<void> {
    const will = { ...stored(packet), brokerId: this.#broker?.id, clientId: client.id };
    await this.durably({ t: 'will', client: client.id, packet: will });
  }

  async getWill(client: AedesClient): Promise<StoredPacket | undefined> {
    return this.state.will(client.id);
  }

  async delWill(client: AedesClient): Promise<StoredPacket | undefined> {
    const will = this.state.will(client.id);
    await this.durably({ t: 'willDelete', client: client.id });
    return will;
  }

  streamWill(brokers: Record<string, unknown> = {}): Readable {
    return Readable.from(this.state.willsNotOf(brokers));
  }

  getClientList(topic: string): Readable {
    return Readable.from(this.state.clientsSubscribedTo(topic));
  }

  /** Nothing to release here: the storage that opened the journal closes it once Aedes has closed. */
  async destroy(): Promise<void> {}

  /** Applies the change; if it changed anything, resolves true once its line is written. */
  private async durably(change: StateChange): Promise<boolean> {
    if (!this.state.apply(change)) return false;
    await this.journal.append(encodeRecord(change), true);
    return true;
  }

  /** Applies the change and journals it without waiting for the write. */
  private soon(change: StateChange): boolean {
    if (!this.state.apply(change)) return false;
    this.journal.append(encodeRecord(change), false);
    return true;
  }
}
