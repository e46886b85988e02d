import { parseRetryAfter } from '../../backoff/index.js';
import type { Notification } from '../planning/notification.js';
import type { Contact, Subscribers } from '../subscribers/subscribers-schema.js';
import { type Channel, failure, type SendResult } from './channel.js';
import { webhookPayload } from './render-message.js';
import { webhookHeaders } from './webhook-signature.js';

/** 4xx answers that may succeed later; any other 4xx is the receiver refusing for good. */
const RETRYABLE_CLIENT_STATUS = new Set([408, 409, 425, 429]);

/** JSON POSTs signed per Standard Webhooks, with a timeout; one attempt per `send`. */
export class WebhookChannel implements Channel {
  constructor(private readonly now: () => number = Date.now) {}

  async send(notification: Notification, contact: Contact, subscribers: Subscribers): Promise<SendResult> {
    const target = contact.webhook;
    if (target === undefined) return failure(`contact ${contact.name} has no webhook any more`, false);
    const now = this.now();
    const body = JSON.stringify(webhookPayload(notification, subscribers.apiUrl, now));
    const headers = webhookHeaders(target.secret, notification.id, Math.floor(now / 1000), body);
    let response: Response;
    try {
      response = await fetch(target.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(subscribers.webhook.timeoutMs),
        // Not followed (a redirect could lead anywhere, an internal address included) and answered as
        // a refusal: only a new URL in the subscribers file can fix it, so retrying for the hour is
        // pointless ('error' made it a network failure, retried).
        redirect: 'manual',
      });
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause;
      const why =
        cause === undefined ? (error as Error).message : `${(error as Error).message}: ${cause.message}`;
      return failure(`POST ${target.url}: ${why}`, true);
    }
    // The body is not needed, and the receiver decides its size: cancelling it (not reading it to its
    // end) frees the connection without holding the attempt, or its memory, for an endless body.
    await response.body?.cancel().catch(() => undefined);
    if (response.ok) return { ok: true };
    const retryable = response.status >= 500 || RETRYABLE_CLIENT_STATUS.has(response.status);
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now);
    return failure(`POST ${target.url} answered ${response.status}`, retryable, retryAfterMs);
  }
}
