import type { z } from 'zod';
import { AlertAckSchema, AlertDeliverySchema, AlertEventSchema, AlertSilenceSchema } from './alerts.js';
import { HealthSchema } from './health.js';
import type { GatewayKind } from './identifiers.js';
import { MetaMessageSchema } from './meta.js';
import { ReadingsBatchSchema } from './readings.js';
import { StatusSchema } from './status.js';
import {
  type AlertActionKind,
  type AlertTopic,
  alertActionTopic,
  alertTopic,
  type GatewayAddress,
  gatewayTopic,
} from './topics.js';

export interface Delivery {
  qos: 0 | 1;
  retain: boolean;
}

/** Every kind of message of the contract: a gateway's four, a rule's event and what is done about it. */
export type MessageKind = GatewayKind | 'alert' | AlertActionKind;

/** What one kind of message is: where it goes, how it is delivered and what it must say. */
export interface MessageKindSpec<Address = never> extends Delivery {
  topic: (address: Address) => string;
  schema: z.ZodType;
}

/**
 * The one table from message kind to topic, QoS, retain flag and schema: publishers, the ingest's
 * decoder, the API's live view and the broker's rights read it, so a kind's contract is one entry.
 * `satisfies` makes a kind of the contract without an entry (or an entry without a kind) a compile error.
 */
export const MESSAGE_KINDS = {
  readings: {
    topic: (address: GatewayAddress) => gatewayTopic(address, 'readings'),
    qos: 1,
    retain: false,
    schema: ReadingsBatchSchema,
  },
  // Retained: the gateway's Last Will sets it offline, and a late subscriber learns the state at once.
  status: {
    topic: (address: GatewayAddress) => gatewayTopic(address, 'status'),
    qos: 1,
    retain: true,
    schema: StatusSchema,
  },
  // Periodic and soon outdated: QoS 0, dropped rather than queued while a gateway is offline.
  health: {
    topic: (address: GatewayAddress) => gatewayTopic(address, 'health'),
    qos: 0,
    retain: false,
    schema: HealthSchema,
  },
  // Retained, so a subscriber that arrives later (the API, a new ingest) learns it at once.
  meta: {
    topic: (address: GatewayAddress) => gatewayTopic(address, 'meta'),
    qos: 1,
    retain: true,
    schema: MetaMessageSchema,
  },
  alert: { topic: alertTopic, qos: 1, retain: true, schema: AlertEventSchema },
  ack: {
    topic: (address: AlertTopic) => alertActionTopic(address, 'ack'),
    qos: 1,
    retain: true,
    schema: AlertAckSchema,
  },
  silence: {
    topic: (address: AlertTopic) => alertActionTopic(address, 'silence'),
    qos: 1,
    retain: true,
    schema: AlertSilenceSchema,
  },
  // A record for the history, not a state: the ingest keeps it, nobody needs the last one retained.
  delivery: {
    topic: (address: AlertTopic) => alertActionTopic(address, 'delivery'),
    qos: 1,
    retain: false,
    schema: AlertDeliverySchema,
  },
} as const satisfies {
  readonly [K in MessageKind]: MessageKindSpec<GatewayAddress> | MessageKindSpec<AlertTopic>;
};

export type MessageKinds = typeof MESSAGE_KINDS;
/** The contract's schema for one kind. */
export type SchemaOf<K extends MessageKind> = MessageKinds[K]['schema'];
/** A message of one kind as a receiver works with it, after parsing. */
export type MessageOf<K extends MessageKind> = z.output<SchemaOf<K>>;
/** A message of one kind as a publisher may write it, before defaults apply. */
export type MessageInputOf<K extends MessageKind> = z.input<SchemaOf<K>>;
/** What a kind's topic is built from: a gateway's address or a rule's. */
export type TopicAddressOf<K extends MessageKind> = Parameters<MessageKinds[K]['topic']>[0];

/** QoS and retain flag per message kind, read from the table, for callers that need only those. */
export const DELIVERY: Readonly<Record<MessageKind, Delivery>> = Object.freeze(
  Object.fromEntries(
    Object.entries(MESSAGE_KINDS).map(([kind, { qos, retain }]) => [kind, Object.freeze({ qos, retain })]),
  ) as Record<MessageKind, Delivery>,
);
