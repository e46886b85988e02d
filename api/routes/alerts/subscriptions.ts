import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../../errors.js';
import { PROBLEM_RESPONSES } from '../../problems/problem.js';
import { parseIfMatch } from './if-match.js';
import type { SubscriptionsStore } from './subscriptions-store.js';
import { type SubscriptionsView, SubscriptionsViewSchema } from './subscriptions-view.js';

export interface SubscriptionsRoutesOptions {
  /** Absent when the process has no subscribers file: both routes then answer 404. */
  store?: SubscriptionsStore;
}

const PATH = '/v1/alerts/subscriptions';
const ACCESS = 'Needs an admin key.';

function notConfigured(): ApiError {
  return new ApiError(
    'SUBSCRIPTIONS_NOT_CONFIGURED',
    'alert notifications are not configured: start fieldstation up or fieldstation api with --subscribers FILE ' +
      '(FS_SUBSCRIBERS_FILE); see docs/notifications.md',
    404,
  );
}

const quoted = (etag: string) => `"${etag}"`;

/** Who is told of which alerts: the notifier's subscribers file, read and replaced as a whole. */
export const subscriptionsRoutes: FastifyPluginAsyncZod<SubscriptionsRoutesOptions> = async (
  app,
  options,
) => {
  const storeOrThrow = (): SubscriptionsStore => {
    if (options.store === undefined) throw notConfigured();
    return options.store;
  };

  app.get(
    PATH,
    {
      config: { access: 'admin' },
      schema: {
        summary: 'The alert subscriptions in force: contacts, routes and SMTP settings',
        description:
          'Reads the subscribers file the notifier uses. Webhook secrets are never shown (`secretSet`). ' +
          'The ETag header (also `etag`) is what PUT needs as If-Match. 404 SUBSCRIPTIONS_NOT_CONFIGURED when ' +
          'the API has no subscribers file; 503 SUBSCRIPTIONS_FILE_INVALID when the file cannot be read or is ' +
          `invalid (the notifier keeps the previous version; the ETag header still allows a PUT). ${ACCESS}`,
        tags: ['alerts'],
        response: { 200: SubscriptionsViewSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (_request, reply): Promise<SubscriptionsView> => {
      const read = await storeOrThrow().read();
      if (read.outcome === 'file-invalid') {
        void reply.header('etag', quoted(read.etag));
        throw new ApiError(
          'SUBSCRIPTIONS_FILE_INVALID',
          `${read.file} cannot be used (the notifier keeps the previous version): ` +
            read.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '),
          503,
          { errors: read.issues.map((issue) => ({ parameter: issue.path, message: issue.message })) },
        );
      }
      void reply.header('etag', quoted(read.view.etag));
      return read.view;
    },
  );

  app.put(
    PATH,
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Replace the alert subscriptions',
        description:
          'Replaces the whole subscribers file with the body (JSON in the shape of the file, e.g. the ' +
          '`subscriptions` of GET), validated as the notifier validates the file: 400 SUBSCRIPTIONS_INVALID names ' +
          'each path at fault. A webhook contact sent without `secret` keeps the secret the file has for that ' +
          'contact name; a new one needs its own. Needs If-Match with the ETag of GET: 409 ' +
          'SUBSCRIPTIONS_IF_MATCH_REQUIRED without it, 409 SUBSCRIPTIONS_CHANGED when the file changed since (read ' +
          'it again). The file is replaced atomically and the notifier reloads it within a second; the answer is ' +
          `the new view with its ETag. ${ACCESS}`,
        tags: ['alerts'],
        headers: z.object({ 'if-match': z.string().optional() }),
        body: z.looseObject({}).describe('the subscribers document: apiUrl, smtp, webhook, contacts, routes'),
        response: { 200: SubscriptionsViewSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (request, reply): Promise<SubscriptionsView> => {
      const store = storeOrThrow();
      const ifMatch = parseIfMatch(request.headers['if-match']);
      if (ifMatch.length === 0) {
        throw new ApiError(
          'SUBSCRIPTIONS_IF_MATCH_REQUIRED',
          'send If-Match with the ETag of GET /v1/alerts/subscriptions, so a change made since is not overwritten',
          409,
        );
      }
      const result = await store.replace(request.body, ifMatch);
      switch (result.outcome) {
        case 'ok':
          // Who changed the rota and when: the answer to "why was I not paged?" starts here.
          request.log.info(
            {
              file: result.view.file,
              etag: result.view.etag,
              contacts: result.view.subscriptions.contacts.length,
              routes: result.view.subscriptions.routes.length,
              client: request.ip,
            },
            'subscriptions replaced through the API',
          );
          void reply.header('etag', quoted(result.view.etag));
          return result.view;
        case 'invalid':
          throw new ApiError(
            'SUBSCRIPTIONS_INVALID',
            result.issues.map((issue) => `body field "${issue.path}" ${issue.message}`).join('; '),
            400,
            { errors: result.issues.map((issue) => ({ parameter: issue.path, message: issue.message })) },
          );
        case 'conflict':
          void reply.header('etag', quoted(result.etag));
          throw new ApiError(
            'SUBSCRIPTIONS_CHANGED',
            'the subscriptions changed since the If-Match ETag was read: read them again, then send the change',
            409,
          );
      }
    },
  );
};
