import { z } from 'zod';

/**
 * A packet as the journal writes it: the fields Aedes' stores keep (aedes-packet), the payload in
 * base64. All optional: a PUBREL in a queue is a command and a packet id. MQTT 5 properties travel as JSON; this broker speaks 3.1.1, so they are seldom there.
 */
export const JournalPacketSchema = z
  .object({
    cmd: z.string().optional(),
    brokerId: z.string().optional(),
    brokerCounter: z.number().optional(),
    topic: z.string().optional(),
    payload: z.string().optional(),
    qos: z.number().int().min(0).max(2).optional(),
    retain: z.boolean().optional(),
    dup: z.boolean().optional(),
    messageId: z.number().int().optional(),
    clientId: z.string().optional(),
    messageExpiry: z.number().optional(),
    properties: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const SubscriptionSchema = z
  .object({
    topic: z.string(),
    qos: z.number().int().min(0).max(2),
    rh: z.number().optional(),
    rap: z.boolean().optional(),
    nl: z.boolean().optional(),
    subscriptionIdentifier: z.number().optional(),
  })
  .strict();

const client = z.string();
const packet = JournalPacketSchema;

/**
 * One change to the broker's state, as one journal line. Replaying the records in order rebuilds
 * the state; a snapshot is the shortest list of records that rebuilds the same state.
 */
export const JournalRecordSchema = z.discriminatedUnion('t', [
  /** A retained message; an empty payload removes the topic's one [MQTT-3.3.1-10]. */
  z.object({ t: z.literal('retain'), packet }).strict(),
  z.object({ t: z.literal('subscribe'), client, subs: z.array(SubscriptionSchema) }).strict(),
  z.object({ t: z.literal('unsubscribe'), client, topics: z.array(z.string()) }).strict(),
  z.object({ t: z.literal('cleanSubscriptions'), client }).strict(),
  /** One message queued for several sessions, written once. */
  z.object({ t: z.literal('enqueue'), clients: z.array(client), packet }).strict(),
  /** A queued message got its packet id on sending (found as aedes-persistence finds it: broker id and counter). */
  z
    .object({
      t: z.literal('sent'),
      client,
      brokerId: z.string().optional(),
      brokerCounter: z.number().optional(),
      messageId: z.number().int(),
    })
    .strict(),
  /** A packet took the place of the queued one with its packet id: a PUBREL after PUBREC. */
  z.object({ t: z.literal('update'), client, packet }).strict(),
  z.object({ t: z.literal('clear'), client, messageId: z.number().int() }).strict(),
  z.object({ t: z.literal('incoming'), client, packet }).strict(),
  z.object({ t: z.literal('incomingDelete'), client, messageId: z.number().int() }).strict(),
  z.object({ t: z.literal('cleanIncoming'), client }).strict(),
  z.object({ t: z.literal('will'), client, packet }).strict(),
  z.object({ t: z.literal('willDelete'), client }).strict(),
]);

export type JournalPacket = z.infer<typeof JournalPacketSchema>;
export type Subscription = z.infer<typeof SubscriptionSchema>;
export type JournalRecord = z.infer<typeof JournalRecordSchema>;

/** A packet as Aedes hands it over and gets it back: the payload a Buffer. */
export type StoredPacket = Omit<JournalPacket, 'payload'> & { payload?: Buffer };

type WithStoredPacket<R> = R extends { packet: JournalPacket }
  ? Omit<R, 'packet'> & { packet: StoredPacket }
  : R;

/** A journal record as the store holds it in memory, its packet's payload a Buffer. */
export type StateChange = WithStoredPacket<JournalRecord>;
