import {
  type Decoded,
  decodePayload,
  type GatewayAddress,
  type GatewayKind,
  type Health,
  HealthSchema,
  type MetaMessage,
  MetaMessageSchema,
  parseGatewayTopic,
  type ReadingsBatch,
  ReadingsBatchSchema,
  type Status,
  StatusSchema,
} from '../../protocol/index.js';
import type { RefusalCode } from '../quarantine/quarantine-record.js';

/** What each topic kind carries once validated against the contract. */
export interface MessageBodies {
  readings: ReadingsBatch;
  health: Health;
  status: Status;
  meta: MetaMessage;
}

/** A valid message of one kind (or, without a type argument, of any kind, discriminated by `kind`). */
export type GatewayMessage<K extends GatewayKind = GatewayKind> = {
  [P in K]: { kind: P; address: GatewayAddress; body: MessageBodies[P] };
}[K];

export type DecodedMessage =
  | ({ ok: true } & GatewayMessage)
  | { ok: false; code: RefusalCode; reason: string; address?: GatewayAddress };

function accept<T>(
  decoded: Decoded<T>,
  address: GatewayAddress,
  message: (body: T) => GatewayMessage,
): DecodedMessage {
  if (!decoded.ok) return { ok: false, code: decoded.code, reason: decoded.reason, address };
  return { ok: true, ...message(decoded.value) };
}

/** The contract's schema for each topic kind: a lookup, so a new kind is one entry here. */
const DECODERS: {
  readonly [K in GatewayKind]: (address: GatewayAddress, payload: Uint8Array) => DecodedMessage;
} = {
  readings: (address, payload) =>
    accept(decodePayload(ReadingsBatchSchema, payload), address, (body) => ({
      kind: 'readings',
      address,
      body,
    })),
  health: (address, payload) =>
    accept(decodePayload(HealthSchema, payload), address, (body) => ({ kind: 'health', address, body })),
  status: (address, payload) =>
    accept(decodePayload(StatusSchema, payload), address, (body) => ({ kind: 'status', address, body })),
  meta: (address, payload) =>
    accept(decodePayload(MetaMessageSchema, payload), address, (body) => ({ kind: 'meta', address, body })),
};

/**
 * First stage: who sent it (from the topic, which the broker only lets that gateway publish to), what
 * kind of message it is (the topic's last segment) and what it says (the payload, validated against
 * that kind's schema). Pure.
 */
export function decodeMessage(topic: string, payload: Uint8Array): DecodedMessage {
  const parsed = parseGatewayTopic(topic);
  if (parsed === undefined) {
    return {
      ok: false,
      code: 'TOPIC_INVALID',
      reason: `topic "${topic}" is not fs/v1/{station}/{gateway}/{readings|status|health|meta} with slug ids`,
    };
  }
  return DECODERS[parsed.kind]({ station: parsed.station, gateway: parsed.gateway }, payload);
}
