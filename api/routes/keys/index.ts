import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestKey } from '../../auth/request-key.js';
import { ApiError } from '../../errors.js';
import {
  ApiKeySpecSchema,
  ApiKeyViewSchema,
  IssuedKeySchema,
  KeyIdSchema,
  KeyNameSchema,
  KeyStationsSchema,
  keyView,
} from '../../keys/api-key.js';
import { parseExpiry } from '../../keys/key-expiry.js';
import type { ApiKeyStore } from '../../keys/key-store.js';
import { RoleSchema } from '../../keys/roles.js';
import { PROBLEM_RESPONSES } from '../../problems/problem.js';

export interface KeysRoutesOptions {
  keys: ApiKeyStore;
  now: () => number;
}

const MeSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: RoleSchema,
  stations: z.array(z.string()).nullable().describe('the only stations the key may see; null: every station'),
  expiresAt: z.string().nullable(),
});

const NewKeyBodySchema = z.strictObject({
  name: KeyNameSchema,
  role: RoleSchema,
  stations: KeyStationsSchema.optional(),
  expires: z
    .string()
    .optional()
    .describe('RFC 3339 with a zone, or a span from now: 12h, 30d, 8w; absent: never'),
});

const KeysListSchema = z.object({ keys: z.array(ApiKeyViewSchema) });

/** The expiry asked for, or a 400 naming `expires`. */
function expiresAtOf(expires: string | undefined, nowMs: number): string | null {
  if (expires === undefined) return null;
  const verdict = parseExpiry(expires, nowMs);
  if (!verdict.ok) {
    throw new ApiError('PARAMETER_INVALID', `body field "expires" ${verdict.message}`, 400, {
      parameter: 'expires',
    });
  }
  return verdict.expiresAt;
}

/** Who the caller is, and the admin's management of keys, on the same store as `fieldstation apikey`. */
export const keysRoutes: FastifyPluginAsyncZod<KeysRoutesOptions> = async (app, { keys, now }) => {
  app.get(
    '/v1/me',
    {
      config: { access: 'reader' },
      schema: {
        summary: 'The API key of this request: its name, role and stations',
        tags: ['keys'],
        response: { 200: MeSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (request) => {
      const { id, name, role, stations, expiresAt } = requestKey(request);
      return { id, name, role, stations, expiresAt };
    },
  );

  app.get(
    '/v1/keys',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Every API key, revoked and expired ones included; never their secrets',
        tags: ['keys'],
        response: { 200: KeysListSchema, ...PROBLEM_RESPONSES },
      },
    },
    async () => ({ keys: (await keys.list()).map(keyView) }),
  );

  app.post(
    '/v1/keys',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Create an API key; the answer is the only time its secret is shown',
        description:
          'An admin key cannot be limited to stations. The key is stored as a SHA-256 digest; give `key` ' +
          'to its holder, who sends it as `Authorization: Bearer <key>`.',
        tags: ['keys'],
        body: NewKeyBodySchema,
        response: { 201: IssuedKeySchema, ...PROBLEM_RESPONSES },
      },
    },
    async (request, reply) => {
      const { expires, ...rest } = request.body;
      const spec = ApiKeySpecSchema.safeParse({ ...rest, expiresAt: expiresAtOf(expires, now()) });
      if (!spec.success) {
        const errors = spec.error.issues.map((issue) => ({
          parameter: issue.path.join('.'),
          message: issue.message,
        }));
        throw new ApiError(
          'PARAMETER_INVALID',
          errors.map((e) => `body field "${e.parameter}" ${e.message}`).join('; '),
          400,
          {
            errors,
          },
        );
      }
      const issued = await keys.add(spec.data);
      request.log.info(
        { id: issued.id, name: issued.name, role: issued.role, by: requestKey(request).id },
        'API key created',
      );
      return reply.code(201).send(issued);
    },
  );

  app.delete(
    '/v1/keys/:id',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Revoke an API key: refused (401 KEY_REVOKED) from the next request on',
        tags: ['keys'],
        params: z.object({ id: KeyIdSchema }),
        response: { 200: ApiKeyViewSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (request) => {
      const revoked = await keys.revoke(request.params.id);
      request.log.info({ id: revoked.id, name: revoked.name, by: requestKey(request).id }, 'API key revoked');
      return keyView(revoked);
    },
  );
};
