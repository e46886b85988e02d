import { z } from 'zod';
import { ALERTS_SEGMENT, GatewayIdSchema, SlugSchema, StationIdSchema } from '../../protocol/index.js';
import { filterProblem } from '../filter-syntax.js';

export const SERVICE_USERNAME_PREFIX = 'svc';
export const SUBSCRIBER_USERNAME_PREFIX = 'sub';

/**
 * A gateway's username is `${station}.${gateway}`; a station named like a username prefix would
 * make `svc.x` ambiguous, and `alerts` is the alerts segment of the topic tree, not a station.
 */
const RESERVED_STATIONS: readonly string[] = [
  SERVICE_USERNAME_PREFIX,
  SUBSCRIBER_USERNAME_PREFIX,
  ALERTS_SEGMENT,
];

const GatewayStationSchema = StationIdSchema.refine((station) => !RESERVED_STATIONS.includes(station), {
  message: `station id must not be one of ${RESERVED_STATIONS.join(', ')}`,
});

/**
 * 'alerts' reads every station's alerts, 'all' reads the whole tree, 'operator' reads the broker's
 * own `$SYS/#` topics (and nothing else), anything else names a station.
 */
export const SubscriberScopeSchema = z.union([z.enum(['alerts', 'all', 'operator']), StationIdSchema]);
export type SubscriberScope = z.infer<typeof SubscriberScopeSchema>;

const GatewaySpecSchema = z.object({
  kind: z.literal('gateway'),
  station: GatewayStationSchema,
  gateway: GatewayIdSchema,
});
const ServiceSpecSchema = z.object({ kind: z.literal('service'), name: SlugSchema });
const SubscriberSpecSchema = z.object({
  kind: z.literal('subscriber'),
  name: SlugSchema,
  scopes: z.array(SubscriberScopeSchema).min(1),
});

/** A filter as an error message quotes it: an over-long one is cut, not printed whole. */
function quoted(filter: string): string {
  return JSON.stringify(filter.length > 80 ? `${filter.slice(0, 80)}…` : filter);
}

/** An operator-written filter of a client account's rights; the message says which rule it breaks. */
const RightsFilterSchema = z.string().superRefine((filter, context) => {
  const problem = filterProblem(filter);
  if (problem !== undefined) context.addIssue({ code: 'custom', message: `${quoted(filter)} ${problem}` });
});
const rightsList = () => z.array(RightsFilterSchema).default([]);

/**
 * A client account: a general-purpose MQTT client (Node-RED, Telegraf, a logger, a test suite) with
 * the rights the operator writes, as mosquitto's ACL patterns. Its username is its name: a slug has
 * no '.', so it cannot be mistaken for a gateway's, a service's or a subscriber's.
 */
const ClientSpecSchema = z.object({
  kind: z.literal('client'),
  name: SlugSchema,
  publish: rightsList(),
  subscribe: rightsList(),
  denyPublish: rightsList(),
  denySubscribe: rightsList(),
});

/** An account that may neither publish nor subscribe is a mistake, not a policy. */
function grantsSomething(account: { kind: string; publish?: unknown[]; subscribe?: unknown[] }): boolean {
  return account.kind !== 'client' || (account.publish?.length ?? 0) + (account.subscribe?.length ?? 0) > 0;
}
const GRANTS_NOTHING = {
  message: 'a client account needs at least one --publish or --subscribe filter',
  path: ['publish'],
};

function withoutUndefined(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined));
}

/**
 * What a caller asks for when creating an account (the CLI's `account add`). A field that does not
 * belong to the kind (a station for a service) is an error; one left undefined is not.
 */
export const AccountSpecSchema = z.preprocess(
  withoutUndefined,
  z
    .discriminatedUnion('kind', [
      GatewaySpecSchema.strict(),
      ServiceSpecSchema.strict(),
      SubscriberSpecSchema.strict(),
      ClientSpecSchema.strict(),
    ])
    .refine(grantsSomething, GRANTS_NOTHING),
);
export type AccountSpec = z.infer<typeof AccountSpecSchema>;
export type AccountKind = AccountSpec['kind'];

/** A scrypt hash with the parameters it was made with, so they can be raised later per record. */
export const SecretHashSchema = z.object({
  algorithm: z.literal('scrypt'),
  N: z.number().int().min(2),
  r: z.number().int().positive(),
  p: z.number().int().positive(),
  keyLength: z.number().int().min(16),
  salt: z.base64url(),
  hash: z.base64url(),
});
export type SecretHash = z.infer<typeof SecretHashSchema>;

const recordFields = {
  username: z.string().min(1),
  secret: SecretHashSchema,
  createdAt: z.iso.datetime(),
  rotatedAt: z.iso.datetime().optional(),
};

export const AccountRecordSchema = z
  .discriminatedUnion('kind', [
    GatewaySpecSchema.extend(recordFields),
    ServiceSpecSchema.extend(recordFields),
    SubscriberSpecSchema.extend(recordFields),
    ClientSpecSchema.extend(recordFields),
  ])
  .refine(grantsSomething, GRANTS_NOTHING)
  .refine((record) => record.username === usernameFor(record), {
    message: 'username does not match the account kind and ids',
    path: ['username'],
  });
export type AccountRecord = z.infer<typeof AccountRecordSchema>;

/** The rights of a client account, as `account rights` replaces them. */
export const ClientRightsSchema = ClientSpecSchema.pick({
  publish: true,
  subscribe: true,
  denyPublish: true,
  denySubscribe: true,
});
export type ClientRights = z.infer<typeof ClientRightsSchema>;

/** An account as shown to operators: everything except the secret's hash (per kind, so rights stay typed). */
export type AccountSummary = AccountRecord extends infer Kind
  ? Kind extends AccountRecord
    ? Omit<Kind, 'secret'>
    : never
  : never;

export const CredentialsFileSchema = z
  .object({ version: z.literal(1), accounts: z.array(AccountRecordSchema) })
  .refine((file) => new Set(file.accounts.map((a) => a.username)).size === file.accounts.length, {
    message: 'usernames must be unique',
    path: ['accounts'],
  });
export type CredentialsFile = z.infer<typeof CredentialsFileSchema>;

export function usernameFor(spec: AccountSpec): string {
  switch (spec.kind) {
    case 'gateway':
      return `${spec.station}.${spec.gateway}`;
    case 'service':
      return `${SERVICE_USERNAME_PREFIX}.${spec.name}`;
    case 'subscriber':
      return `${SUBSCRIBER_USERNAME_PREFIX}.${spec.name}`;
    case 'client':
      return spec.name;
  }
}
