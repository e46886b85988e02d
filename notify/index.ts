export type { Channel, SendResult } from './channels/channel.js';
export { EmailChannel } from './channels/email-channel.js';
export { ackRoute, renderEmail, subjectLine, webhookPayload } from './channels/render-message.js';
export { WebhookChannel } from './channels/webhook-channel.js';
export { signWebhook, verifyWebhook, webhookHeaders } from './channels/webhook-signature.js';
export {
  type NotifyConfig,
  type NotifyConfigInput,
  NotifyConfigSchema,
  type NotifyMqttConfig,
  NotifyMqttConfigSchema,
} from './config.js';
export { type DeliveryCounts, Dispatcher } from './delivery/dispatcher.js';
export { JOURNAL_FILE, Journal } from './delivery/journal.js';
export { Ledger, type LedgerEntry } from './delivery/ledger.js';
export {
  type DeliveryRetry,
  DeliveryRetrySchema,
  decideRetry,
  retryDelayMs,
} from './delivery/retry-schedule.js';
export { type AlertMessage, decodeAlertMessage } from './mqtt/decode-alert-message.js';
export { NotifySessionError } from './mqtt/notify-session.js';
export { NotifyService, type NotifyServiceOptions, type NotifyStats } from './notify-service.js';
export { AlertBook, type RuleRecord, ruleKey } from './planning/alert-book.js';
export {
  type Notification,
  type NotificationReason,
  NotificationSchema,
  notificationId,
} from './planning/notification.js';
export { type PlanningInput, planNotifications } from './planning/plan-notifications.js';
export { routeMatches } from './planning/route-matching.js';
export {
  checkSubscribers,
  type SubscribersCheck,
  type SubscribersIssue,
} from './subscribers/check-subscribers.js';
export { keepWebhookSecrets } from './subscribers/keep-secrets.js';
export { loadSubscribers, parseSubscribers, SubscribersError } from './subscribers/load-subscribers.js';
export {
  type Contact,
  type Route,
  type SmtpSettings,
  type Subscribers,
  SubscribersFileSchema,
  type SubscribersInput,
} from './subscribers/subscribers-schema.js';
export { SubscribersWatch } from './subscribers/watch-subscribers.js';
export { formatSubscribers, writeSubscribersFile } from './subscribers/write-subscribers.js';
