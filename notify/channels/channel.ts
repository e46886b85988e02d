import type { Notification } from '../planning/notification.js';
import type { Contact, Subscribers } from '../subscribers/subscribers-schema.js';

/** One attempt's result: a failure says whether trying again could succeed. */
export type SendResult =
  | { ok: true }
  | { ok: false; error: string; retryable: boolean; retryAfterMs?: number };

/** A way to reach a contact (email, webhook): one attempt per call, never throws. */
export interface Channel {
  send(notification: Notification, contact: Contact, subscribers: Subscribers): Promise<SendResult>;
  close?(): void;
}

export function failure(error: unknown, retryable: boolean, retryAfterMs?: number): SendResult {
  const text = error instanceof Error ? error.message : String(error);
  return {
    ok: false,
    error: text.slice(0, 500),
    retryable,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}
