import type { Subscribers } from './subscribers-schema.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Fills the webhook secret of every contact given without one from the contact of the same name in
 * `current`, so a client that read the redacted subscriptions can send them back unchanged. A contact
 * the current version does not have (or has without a webhook) gets nothing, and validation then asks
 * for its secret. Works on the unvalidated document: validation comes after, and reports the rest.
 */
export function keepWebhookSecrets(document: unknown, current: Subscribers | undefined): unknown {
  if (!isRecord(document) || !Array.isArray(document.contacts) || current === undefined) return document;
  const secrets = new Map(
    current.contacts.flatMap((contact) =>
      contact.webhook === undefined ? [] : [[contact.name, contact.webhook.secret] as const],
    ),
  );
  const contacts = document.contacts.map((contact: unknown) => {
    if (!isRecord(contact) || !isRecord(contact.webhook) || contact.webhook.secret !== undefined)
      return contact;
    const secret = typeof contact.name === 'string' ? secrets.get(contact.name) : undefined;
    return secret === undefined ? contact : { ...contact, webhook: { ...contact.webhook, secret } };
  });
  return { ...document, contacts };
}
