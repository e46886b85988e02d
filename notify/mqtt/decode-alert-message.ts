import {
  type AlertAck,
  AlertAckSchema,
  type AlertEvent,
  AlertEventSchema,
  type AlertSilence,
  AlertSilenceSchema,
  type AlertTopic,
  type Decoded,
  decodePayload,
  parseAlertActionTopic,
  parseAlertTopic,
} from '../../protocol/index.js';

/** What the notifier hears on the alerts tree, decoded and checked. */
export type AlertMessage =
  | { kind: 'event'; event: AlertEvent }
  | { kind: 'ack'; ack: AlertAck }
  | { kind: 'silence'; station: string; rule: string; silence: AlertSilence | undefined }
  | { kind: 'ignored' }
  | { kind: 'invalid'; reason: string };

/**
 * The contract's own decoding (size and depth limits, bounded reasons), then the check that the
 * payload names the topic's station and rule: the topic is what broker rights were checked against.
 */
function checked<T extends AlertTopic>(
  decoded: Decoded<T>,
  address: AlertTopic,
  message: (value: T) => AlertMessage,
): AlertMessage {
  if (!decoded.ok) return { kind: 'invalid', reason: `${decoded.code}: ${decoded.reason}` };
  const { station, rule } = decoded.value;
  if (station !== address.station || rule !== address.rule)
    return { kind: 'invalid', reason: 'station or rule differs from the topic' };
  return message(decoded.value);
}

/**
 * Decodes one message of `fs/v1/alerts/#`. Empty payloads clear retained messages: for a silence
 * that lifts it, for anything else it is ignored. Deliveries are the notifier's own records.
 */
export function decodeAlertMessage(topic: string, payload: Uint8Array): AlertMessage {
  const address = parseAlertTopic(topic);
  if (address !== undefined) {
    if (payload.length === 0) return { kind: 'ignored' };
    return checked(decodePayload(AlertEventSchema, payload), address, (event) => ({ kind: 'event', event }));
  }
  const action = parseAlertActionTopic(topic);
  if (action === undefined || action.kind === 'delivery') return { kind: 'ignored' };
  const { station, rule } = action;
  if (action.kind === 'ack') {
    if (payload.length === 0) return { kind: 'ignored' };
    return checked(decodePayload(AlertAckSchema, payload), action, (ack) => ({ kind: 'ack', ack }));
  }
  if (payload.length === 0) return { kind: 'silence', station, rule, silence: undefined };
  return checked(decodePayload(AlertSilenceSchema, payload), action, (silence) => ({
    kind: 'silence',
    station,
    rule,
    silence,
  }));
}
