import {
  decodeKind,
  type GatewayAddress,
  type GatewayKind,
  type GatewayTopic,
  type MessageOf,
  parseGatewayTopic,
} from '../../protocol/index.js';
import type { RefusalCode } from '../quarantine/quarantine-record.js';
import { plainReadingsBatch } from './plain-readings.js';

/** What each topic kind carries once validated against the contract. */
export type MessageBodies = { [K in GatewayKind]: MessageOf<K> };

/** A valid message of one kind (or, without a type argument, of any kind, discriminated by `kind`). */
export type GatewayMessage<K extends GatewayKind = GatewayKind> = {
  [P in K]: { kind: P; address: GatewayAddress; body: MessageBodies[P] };
}[K];

export type DecodedMessage =
  | ({ ok: true } & GatewayMessage)
  | { ok: false; code: RefusalCode; reason: string; address?: GatewayAddress };

/** Validates a payload against its kind's schema in the contract's table (readings of the common shape faster). */
function decodeGatewayMessage(
  kind: GatewayKind,
  address: GatewayAddress,
  payload: Uint8Array,
): DecodedMessage {
  if (kind === 'readings') {
    const batch = plainReadingsBatch(payload);
    if (batch !== undefined) return { ok: true, kind, address, body: batch };
  }
  const decoded = decodeKind(kind, payload);
  if (!decoded.ok) return { ok: false, code: decoded.code, reason: decoded.reason, address };
  // The body was parsed by this kind's schema, so it is this kind's body; TypeScript cannot follow a
  // generic key through the table to the union, hence the assertion.
  return { ok: true, kind, address, body: decoded.value } as { ok: true } & GatewayMessage;
}

/** Distinct valid topics kept parsed; past it the cache starts afresh. */
const TOPICS_KEPT = 10_000;

/** Each gateway publishes to the same few topics, and parsing one runs the topic's zod schema. */
const parsedTopics = new Map<string, GatewayTopic>();

function gatewayTopicOf(topic: string): GatewayTopic | undefined {
  let parsed = parsedTopics.get(topic);
  if (parsed !== undefined) return parsed;
  parsed = parseGatewayTopic(topic);
  if (parsed === undefined) return undefined;
  if (parsedTopics.size >= TOPICS_KEPT) parsedTopics.clear();
  parsedTopics.set(topic, parsed);
  return parsed;
}

/**
 * First stage: who sent it (from the topic, which the broker only lets that gateway publish to), what
 * kind of message it is (the topic's last segment) and what it says (the payload, validated against
 * that kind's schema). Pure.
 */
export function decodeMessage(topic: string, payload: Uint8Array): DecodedMessage {
  const parsed = gatewayTopicOf(topic);
  if (parsed === undefined) {
    return {
      ok: false,
      code: 'TOPIC_INVALID',
      reason: `topic "${topic}" is not fs/v1/{station}/{gateway}/{readings|status|health|meta} with slug ids`,
    };
  }
  return decodeGatewayMessage(parsed.kind, { station: parsed.station, gateway: parsed.gateway }, payload);
}
