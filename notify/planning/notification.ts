import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  AlertEventSchema,
  DeliveryChannelSchema,
  RuleIdSchema,
  StationIdSchema,
} from '../../protocol/index.js';

export const NotificationReasonSchema = z.enum(['firing', 'clear', 'repeat', 'escalation']);

/**
 * One message to one contact over one channel. It carries the event it is about, so a notification
 * planned before a restart can be sent after it without the event.
 */
export const NotificationSchema = z.object({
  id: z.string().min(1).max(100),
  station: StationIdSchema,
  rule: RuleIdSchema,
  /** The episode, epoch ms. */
  since: z.number().int(),
  reason: NotificationReasonSchema,
  /** firing and clear 0; the repeat number; the escalation level (index in the chain). */
  n: z.number().int().nonnegative(),
  contact: z.string().min(1),
  channel: DeliveryChannelSchema,
  /** The route that asked for it. */
  route: z.string().min(1),
  plannedAt: z.number().int(),
  event: AlertEventSchema,
  /** Set when several state changes were grouped into this one notification (flapping). */
  grouped: z.number().int().positive().optional(),
});

export type NotificationReason = z.infer<typeof NotificationReasonSchema>;
export type Notification = z.output<typeof NotificationSchema>;

export type NotificationKey = Pick<
  Notification,
  'station' | 'rule' | 'since' | 'reason' | 'n' | 'contact' | 'channel' | 'route'
>;

/**
 * Deterministic, so the same notification planned again (a redelivered or retained event, a restart)
 * gets the same id and is recognised; it is also the Standard Webhooks `webhook-id` receivers dedupe on.
 * The route is part of it because each route keeps its own escalation chain: were a contact on two
 * routes told once, the second route would never see its own first notice and never escalate.
 */
export function notificationId(key: NotificationKey): string {
  const text = [
    key.station,
    key.rule,
    key.since,
    key.reason,
    key.n,
    key.contact,
    key.channel,
    key.route,
  ].join('\n');
  return `msg_${createHash('sha256').update(text).digest('base64url').slice(0, 32)}`;
}
