import type { SubscriptionsDocumentView } from '../api/index.js';
import type { SmtpSettings, Subscribers } from '../notify/index.js';

/** Field by field, so a secret added to the SMTP settings one day is not shown by default. */
function smtpView(smtp: SmtpSettings): NonNullable<SubscriptionsDocumentView['smtp']> {
  const { host, port, security, user, passwordEnv, from, caFile, timeoutMs } = smtp;
  return {
    host,
    port,
    security,
    ...(user === undefined ? {} : { user }),
    ...(passwordEnv === undefined ? {} : { passwordEnv }),
    from,
    ...(caFile === undefined ? {} : { caFile }),
    timeoutMs,
  };
}

/** The notifier's subscriptions as the API shows them: every webhook secret replaced by `secretSet`. */
export function redactSubscribers(subscribers: Subscribers): SubscriptionsDocumentView {
  return {
    ...(subscribers.apiUrl === undefined ? {} : { apiUrl: subscribers.apiUrl }),
    ...(subscribers.smtp === undefined ? {} : { smtp: smtpView(subscribers.smtp) }),
    webhook: { timeoutMs: subscribers.webhook.timeoutMs },
    contacts: subscribers.contacts.map((contact) => ({
      name: contact.name,
      ...(contact.email === undefined ? {} : { email: contact.email }),
      ...(contact.webhook === undefined
        ? {}
        : { webhook: { url: contact.webhook.url, secretSet: true as const } }),
    })),
    routes: subscribers.routes.map((route) => ({
      ...route,
      ...(route.stations === undefined ? {} : { stations: [...route.stations] }),
      rules: route.rules === 'all' ? 'all' : [...route.rules],
      chain: [...route.chain],
    })),
  };
}
