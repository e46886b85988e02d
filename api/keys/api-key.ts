import { z } from 'zod';
import { StationIdSchema } from '../../protocol/index.js';
import { RoleSchema } from './roles.js';

export const KeyIdSchema = z
  .string()
  .regex(/^[0-9a-f]{12}$/, 'must be a key id: 12 hexadecimal digits')
  .describe('key id, the part between "fsk_" and the secret');

export const KeyNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,63}$/,
    'must be 1-64 letters, digits, spaces or ._@- starting with a letter or digit',
  )
  .describe('who or what holds the key, e.g. "dashboard" or "alice@example.org"');

export const KeyStationsSchema = z
  .array(StationIdSchema)
  .min(1)
  .refine((stations) => new Set(stations).size === stations.length, 'must not repeat a station')
  .nullable()
  .describe('the only stations the key may see; null: every station');

/** What an operator asks for; the id, secret and times are the store's to make. */
export const ApiKeySpecSchema = z
  .object({
    name: KeyNameSchema,
    role: RoleSchema,
    stations: KeyStationsSchema.default(null),
    expiresAt: z.iso.datetime({ offset: true }).nullable().default(null),
  })
  .refine((spec) => spec.role !== 'admin' || spec.stations === null, {
    path: ['stations'],
    message: 'an admin key manages every key, so it cannot be limited to stations',
  });

export type ApiKeySpec = z.infer<typeof ApiKeySpecSchema>;
export type ApiKeySpecInput = z.input<typeof ApiKeySpecSchema>;

/**
 * A key as stored: its secret only as a SHA-256 digest. Keys are 32 random bytes, so unlike a
 * person's password they cannot be found by trying likely values, and a slow hash (scrypt) would
 * only cost time on every request without making them harder to guess.
 */
export const ApiKeyRecordSchema = z.strictObject({
  id: KeyIdSchema,
  name: KeyNameSchema,
  role: RoleSchema,
  stations: KeyStationsSchema,
  createdAt: z.iso.datetime({ offset: true }),
  expiresAt: z.iso.datetime({ offset: true }).nullable(),
  revokedAt: z.iso.datetime({ offset: true }).nullable(),
  digest: z.strictObject({ algorithm: z.literal('sha256'), hash: z.string().min(1) }),
});

export type ApiKeyRecord = z.infer<typeof ApiKeyRecordSchema>;

export const KeysFileSchema = z.strictObject({
  version: z.literal(1),
  keys: z.array(ApiKeyRecordSchema),
});

export type KeysFile = z.infer<typeof KeysFileSchema>;

/** A key as shown to people and to the dashboard: everything but the digest. */
export const ApiKeyViewSchema = z.object({
  id: KeyIdSchema,
  name: z.string(),
  role: RoleSchema,
  stations: z.array(z.string()).nullable().describe('the only stations the key may see; null: every station'),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export type ApiKeyView = z.infer<typeof ApiKeyViewSchema>;

export function keyView(record: ApiKeyRecord): ApiKeyView {
  const { digest: _digest, ...view } = record;
  return view;
}

/** What creating a key answers, once: the key itself is never shown again. */
export const IssuedKeySchema = z.object({
  id: KeyIdSchema,
  name: z.string(),
  role: RoleSchema,
  stations: z.array(z.string()).nullable(),
  expiresAt: z.string().nullable(),
  key: z.string().describe('the key to send as "Authorization: Bearer <key>"; shown only this once'),
});

export type IssuedKey = z.infer<typeof IssuedKeySchema>;
