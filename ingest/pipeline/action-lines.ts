import {
  ALERT_ACK,
  ALERT_DELIVERY,
  ALERT_SILENCE,
  encodePoint,
  optionalStr,
  recordPoint,
} from '../../influx/index.js';
import type { AlertAck, AlertDelivery, AlertSilence } from '../../protocol/index.js';
import { fnv1a } from '../stable-hash.js';
import type { AlertAction } from './decode-action.js';

const NS_PER_MS = 1_000_000n;

function nanos(epochMs: number): bigint {
  return BigInt(epochMs) * NS_PER_MS;
}

function ackLine(ack: AlertAck): string {
  return encodePoint(
    recordPoint(ALERT_ACK, {
      tags: { station: ack.station, rule: ack.rule },
      fields: { since: { int: ack.since }, by: { str: ack.by }, comment: optionalStr(ack.comment) },
      timestamp: nanos(ack.time),
    }),
  );
}

function silenceLine(silence: AlertSilence): string {
  return encodePoint(
    recordPoint(ALERT_SILENCE, {
      tags: { station: silence.station, rule: silence.rule },
      fields: {
        until: { int: silence.until },
        by: { str: silence.by },
        comment: optionalStr(silence.comment),
        // The contract: an `until` that is already past lifts the silence.
        lifted: { bool: silence.until <= silence.time },
      },
      timestamp: nanos(silence.time),
    }),
  );
}

function deliveryLine(delivery: AlertDelivery): string {
  // Attempts for several subscribers often share a millisecond; a deterministic offset below it keeps
  // them apart while a redelivered record still overwrites itself.
  const offset = fnv1a(`${delivery.id}\u0000${delivery.attempt}\u0000${delivery.subscriber}`) % 1_000_000;
  return encodePoint(
    recordPoint(ALERT_DELIVERY, {
      tags: {
        station: delivery.station,
        rule: delivery.rule,
        channel: delivery.channel,
        outcome: delivery.outcome,
      },
      fields: {
        id: { str: delivery.id },
        subscriber: { str: delivery.subscriber },
        reason: { str: delivery.reason },
        error: optionalStr(delivery.error),
        attempt: { int: delivery.attempt },
        since: { int: delivery.since },
      },
      timestamp: nanos(delivery.time) + BigInt(offset),
    }),
  );
}

/**
 * One point (ns precision) per action. Acks, silences and deliveries sit at their own time, so a
 * message the broker delivers again (a retained one at every new subscription, an unacknowledged one
 * after a crash) writes the same point again. A lift by an empty payload carries no time: it sits
 * at the time `liftedAtNs` gives, which the caller chooses (the receipt).
 */
export function alertActionLine(action: AlertAction, liftedAtNs: () => bigint): string {
  switch (action.kind) {
    case 'ack':
      return ackLine(action.body);
    case 'silence':
      return silenceLine(action.body);
    case 'delivery':
      return deliveryLine(action.body);
    case 'lift':
      return encodePoint(
        recordPoint(ALERT_SILENCE, {
          tags: { station: action.address.station, rule: action.address.rule },
          fields: { lifted: { bool: true } },
          timestamp: liftedAtNs(),
        }),
      );
  }
}
