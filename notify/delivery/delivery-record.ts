import type { AlertDelivery, DeliveryOutcome } from '../../protocol/index.js';
import type { Notification } from '../planning/notification.js';

/** The message published on `…/{rule}/delivery` for the alert history. */
export function deliveryRecord(
  notification: Notification,
  outcome: DeliveryOutcome,
  attempt: number,
  time: number,
  error?: string,
): AlertDelivery {
  return {
    v: 1,
    station: notification.station,
    rule: notification.rule,
    id: notification.id,
    channel: notification.channel,
    subscriber: notification.contact,
    reason: notification.reason,
    outcome,
    attempt,
    ...(error === undefined ? {} : { error: error.slice(0, 500) }),
    since: notification.since,
    time,
  };
}
