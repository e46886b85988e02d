import {
  type DecodeErrorCode,
  decodePayload,
  type GatewayAddress,
  parseGatewayTopic,
  type ReadingsBatch,
  ReadingsBatchSchema,
} from '../../protocol/index.js';

export type RefusalCode = DecodeErrorCode | 'TOPIC_INVALID';

export type DecodedMessage =
  | { ok: true; address: GatewayAddress; batch: ReadingsBatch }
  | { ok: false; code: RefusalCode; reason: string; address?: GatewayAddress };

/**
 * First stage: who sent it (from the topic, which the broker only lets that gateway publish to) and
 * what it says (from the payload, validated against the contract). Pure.
 */
export function decodeMessage(topic: string, payload: Uint8Array): DecodedMessage {
  const parsed = parseGatewayTopic(topic);
  if (parsed === undefined || parsed.kind !== 'readings') {
    return {
      ok: false,
      code: 'TOPIC_INVALID',
      reason: `topic "${topic}" is not fs/v1/{station}/{gateway}/readings with slug ids`,
    };
  }
  const address: GatewayAddress = { station: parsed.station, gateway: parsed.gateway };
  const decoded = decodePayload(ReadingsBatchSchema, payload);
  if (!decoded.ok) return { ok: false, code: decoded.code, reason: decoded.reason, address };
  return { ok: true, address, batch: decoded.value };
}
