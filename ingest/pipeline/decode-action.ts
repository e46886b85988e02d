import {
  type AlertAck,
  type AlertActionKind,
  type AlertDelivery,
  type AlertSilence,
  type AlertTopic,
  type Decoded,
  decodeKind,
  parseAlertActionTopic,
} from '../../protocol/index.js';
import type { RefusalCode } from '../quarantine/quarantine-record.js';

/** A valid message under a rule's topic, as the history keeps it. */
export type AlertAction =
  | { kind: 'ack'; body: AlertAck }
  | { kind: 'silence'; body: AlertSilence }
  /** An empty retained payload on `…/silence`: whoever lifted it is not in the message. */
  | { kind: 'lift'; address: AlertTopic }
  | { kind: 'delivery'; body: AlertDelivery };

export type DecodedAction =
  | { ok: true; action: AlertAction }
  /** An empty payload on `…/ack`: a retained ack removed; nothing to keep. */
  | { ok: true; action: undefined; address: AlertTopic }
  | { ok: false; code: RefusalCode; reason: string; address: AlertTopic };

type ActionBody = AlertAck | AlertSilence | AlertDelivery;

function checked<T extends ActionBody>(
  decoded: Decoded<T>,
  address: AlertTopic,
  action: (body: T) => AlertAction,
): DecodedAction {
  if (!decoded.ok) return { ok: false, code: decoded.code, reason: decoded.reason, address };
  const { station, rule } = decoded.value;
  // The broker lets a service publish anywhere under fs/v1/alerts, so the topic proves nothing alone.
  if (station !== address.station || rule !== address.rule) {
    const reason = `payload names ${station}/${rule} but the topic names ${address.station}/${address.rule}`;
    return { ok: false, code: 'PAYLOAD_INVALID', reason, address };
  }
  return { ok: true, action: action(decoded.value) };
}

const DECODERS: {
  readonly [K in AlertActionKind]: (address: AlertTopic, payload: Uint8Array) => DecodedAction;
} = {
  ack: (address, payload) =>
    payload.byteLength === 0
      ? { ok: true, action: undefined, address }
      : checked(decodeKind('ack', payload), address, (body) => ({ kind: 'ack', body })),
  silence: (address, payload) =>
    payload.byteLength === 0
      ? { ok: true, action: { kind: 'lift', address } }
      : checked(decodeKind('silence', payload), address, (body) => ({ kind: 'silence', body })),
  delivery: (address, payload) =>
    checked(decodeKind('delivery', payload), address, (body) => ({ kind: 'delivery', body })),
};

/**
 * Decodes a message on `fs/v1/alerts/{station}/{rule}/{ack|silence|delivery}` against the contract;
 * undefined for any other topic, which is the gateway decoder's business. Pure.
 */
export function decodeAlertAction(topic: string, payload: Uint8Array): DecodedAction | undefined {
  const parsed = parseAlertActionTopic(topic);
  if (parsed === undefined) return undefined;
  return DECODERS[parsed.kind]({ station: parsed.station, rule: parsed.rule }, payload);
}
