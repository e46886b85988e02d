import { z } from 'zod';

/**
 * The API's own view of the notifier's subscriptions (docs/notifications.md). It mirrors the file's
 * shape so a client can send `subscriptions` back with PUT, but it never carries a secret: a webhook
 * shows `secretSet` instead of its secret, and the SMTP password is never in the file at all.
 */
const ContactViewSchema = z.object({
  name: z.string(),
  email: z.string().optional(),
  webhook: z
    .object({
      url: z.string(),
      secretSet: z
        .literal(true)
        .describe(
          'the signing secret is set; it is never shown. Send the contact back without one to keep it',
        ),
    })
    .optional(),
});

const RouteViewSchema = z.object({
  name: z.string(),
  stations: z.array(z.string()).optional().describe('the stations the route covers; absent: every station'),
  rules: z.union([z.literal('all'), z.array(z.string())]),
  minSeverity: z.string(),
  chain: z.array(z.string()).describe('contact names: the first is told first, the next after escalateAfter'),
  repeatEvery: z.number().optional().describe('minutes between repeats until an ack; absent: no repeats'),
  escalateAfter: z.number().optional().describe('minutes before the next contact of the chain is told'),
  flapWindow: z.number().describe('minutes within which changes of one rule are grouped'),
});

const SmtpViewSchema = z.object({
  host: z.string(),
  port: z.number().int(),
  security: z.enum(['tls', 'starttls', 'none']),
  user: z.string().optional(),
  passwordEnv: z
    .string()
    .optional()
    .describe('the environment variable holding the password (not the password)'),
  from: z.string(),
  caFile: z.string().optional(),
  timeoutMs: z.number().int(),
});

export const SubscriptionsDocumentViewSchema = z.object({
  apiUrl: z.string().optional(),
  smtp: SmtpViewSchema.optional(),
  webhook: z.object({ timeoutMs: z.number().int() }),
  contacts: z.array(ContactViewSchema),
  routes: z.array(RouteViewSchema),
});

export const SubscriptionsViewSchema = z.object({
  file: z.string().describe('the subscribers file the notifier reads'),
  modifiedAt: z
    .string()
    .describe(
      'when the file last changed (RFC 3339): the notifier reloads a valid new version within a second of it',
    ),
  etag: z.string().describe('the same as the ETag header: send it as If-Match with PUT'),
  subscriptions: SubscriptionsDocumentViewSchema,
});

export type SubscriptionsView = z.infer<typeof SubscriptionsViewSchema>;
export type SubscriptionsDocumentView = z.infer<typeof SubscriptionsDocumentViewSchema>;
