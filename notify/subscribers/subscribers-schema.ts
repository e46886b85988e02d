import { z } from 'zod';
import { RuleIdSchema, SeveritySchema, StationIdSchema } from '../../protocol/index.js';

const NameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'must be a name: lower-case letters, digits, ".", "_", "-"');

/** Standard Webhooks secrets: `whsec_` and the base64 key (at least 24 bytes, at most 64). */
export const WebhookSecretSchema = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'must be "whsec_" followed by a base64 key')
  .refine((secret) => {
    const bytes = Buffer.from(secret.slice('whsec_'.length), 'base64').length;
    return bytes >= 24 && bytes <= 64;
  }, 'the key after "whsec_" must decode to 24-64 bytes');

export const WebhookTargetSchema = z.object({
  url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }),
  secret: WebhookSecretSchema,
});

export const ContactSchema = z
  .object({
    name: NameSchema,
    email: z.email('must be an email address').optional(),
    webhook: WebhookTargetSchema.optional(),
  })
  .refine((contact) => contact.email !== undefined || contact.webhook !== undefined, {
    message: 'needs an email address, a webhook, or both',
  });

export const SmtpSettingsSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535).default(587),
  /** tls: TLS from the first byte (port 465); starttls: upgrade required; none: plain (tests, local relays only). */
  security: z.enum(['tls', 'starttls', 'none']).default('starttls'),
  user: z.string().min(1).optional(),
  /** Name of the environment variable that holds the password; the password is never in the file. */
  passwordEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be the name of an environment variable, e.g. FS_SMTP_PASSWORD')
    .optional(),
  from: z.string().min(3),
  /** A PEM CA to trust besides the system's (a relay with a private certificate). */
  caFile: z.string().min(1).optional(),
  timeoutMs: z.number().int().positive().default(20_000),
});

const MinutesSchema = z.number().positive('must be a positive number of minutes');

export const RouteSchema = z.object({
  name: NameSchema,
  /** Stations the route covers; all when absent. */
  stations: z.array(StationIdSchema).min(1).optional(),
  /** Rule ids, or `all`. */
  rules: z.union([z.literal('all'), z.array(RuleIdSchema).min(1)]).default('all'),
  minSeverity: SeveritySchema.default('warning'),
  /** The escalation chain: the first contact gets the first notice, the next one after `escalateAfter`. */
  chain: z.array(NameSchema).min(1),
  repeatEvery: MinutesSchema.optional(),
  escalateAfter: MinutesSchema.optional(),
  /** Changes of one rule closer together than this are grouped into one notification. */
  flapWindow: MinutesSchema.default(10),
});

export const SubscribersFileSchema = z
  .object({
    /** Base URL of the HTTP API, for the acknowledgement link in notifications. */
    apiUrl: z.url().optional(),
    smtp: SmtpSettingsSchema.optional(),
    webhook: z
      .object({ timeoutMs: z.number().int().positive().default(10_000) })
      .default({ timeoutMs: 10_000 }),
    contacts: z.array(ContactSchema).min(1),
    routes: z.array(RouteSchema).min(1),
  })
  .superRefine((file, context) => {
    const names = new Set<string>();
    file.contacts.forEach((contact, index) => {
      if (names.has(contact.name))
        context.addIssue({
          code: 'custom',
          path: ['contacts', index, 'name'],
          message: `"${contact.name}" is named twice`,
        });
      names.add(contact.name);
      if (contact.email !== undefined && file.smtp === undefined)
        context.addIssue({
          code: 'custom',
          path: ['contacts', index, 'email'],
          message: 'an email contact needs the smtp settings',
        });
    });
    const routes = new Set<string>();
    file.routes.forEach((route, index) => {
      if (routes.has(route.name))
        context.addIssue({
          code: 'custom',
          path: ['routes', index, 'name'],
          message: `"${route.name}" is named twice`,
        });
      routes.add(route.name);
      route.chain.forEach((name, position) => {
        if (!names.has(name))
          context.addIssue({
            code: 'custom',
            path: ['routes', index, 'chain', position],
            message: `"${name}" is not one of the contacts`,
          });
      });
    });
  });

export type WebhookTarget = z.output<typeof WebhookTargetSchema>;
export type Contact = z.output<typeof ContactSchema>;
export type SmtpSettings = z.output<typeof SmtpSettingsSchema>;
export type Route = z.output<typeof RouteSchema>;
export type Subscribers = z.output<typeof SubscribersFileSchema>;
export type SubscribersInput = z.input<typeof SubscribersFileSchema>;
