import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../api/app.js';
import { LiveStore } from '../../../api/live/live-store.js';
import type { QueryPort } from '../../../api/ports.js';
import type {
  SubscriptionsRead,
  SubscriptionsReplace,
  SubscriptionsStore,
} from '../../../api/routes/alerts/subscriptions-store.js';
import type { SubscriptionsView } from '../../../api/routes/alerts/subscriptions-view.js';
import { asAdmin, TEST_KEYS } from '../../harness/api-keys.js';

const logger = pino({ level: 'silent' });
const noQueries: QueryPort = {
  query: () => Promise.reject(new Error('unused')),
  stream: () => {
    throw new Error('unused');
  },
  ping: () => Promise.reject(new Error('unused')),
};

const VIEW: SubscriptionsView = {
  file: '/etc/fieldstation/subscribers.yaml',
  modifiedAt: '2026-12-04T08:00:00.000Z',
  etag: 'abc123',
  subscriptions: {
    webhook: { timeoutMs: 10_000 },
    contacts: [{ name: 'pager', webhook: { url: 'https://pager.example.org/hook', secretSet: true } }],
    routes: [{ name: 'all', rules: 'all', minSeverity: 'warning', chain: ['pager'], flapWindow: 10 }],
  },
};

/** Answers as told and remembers what it was asked to write. */
class FakeStore implements SubscriptionsStore {
  readAnswer: SubscriptionsRead = { outcome: 'ok', view: VIEW };
  replaceAnswer: SubscriptionsReplace = { outcome: 'ok', view: { ...VIEW, etag: 'def456' } };
  readonly replaced: { document: unknown; ifMatch: readonly string[] }[] = [];
  async read(): Promise<SubscriptionsRead> {
    return this.readAnswer;
  }
  async replace(document: unknown, ifMatch: readonly string[]): Promise<SubscriptionsReplace> {
    this.replaced.push({ document, ifMatch });
    return this.replaceAnswer;
  }
}

let app: ReturnType<typeof buildApp> | undefined;
afterEach(async () => {
  await app?.close();
});

async function appWith(store?: SubscriptionsStore) {
  app = buildApp({
    keys: TEST_KEYS.store,
    queries: noQueries,
    live: new LiveStore(),
    logger,
    ...(store === undefined ? {} : { subscriptions: store }),
  });
  await app.ready();
  return app;
}

const DOCUMENT = {
  contacts: [{ name: 'pager', webhook: { url: 'https://pager.example.org/hook' } }],
  routes: [],
};

describe('GET /v1/alerts/subscriptions', () => {
  it('answers the view with its ETag', async () => {
    const api = await appWith(new FakeStore());
    const response = await asAdmin(api).inject({ method: 'GET', url: '/v1/alerts/subscriptions' });
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"abc123"');
    expect(response.json()).toEqual(VIEW);
  });

  it('answers 503 SUBSCRIPTIONS_FILE_INVALID with the paths when the file cannot be used', async () => {
    const store = new FakeStore();
    store.readAnswer = {
      outcome: 'file-invalid',
      file: '/etc/fieldstation/subscribers.yaml',
      etag: 'broken1',
      issues: [{ path: 'routes.0.chain.1', message: '"nobody" is not one of the contacts' }],
    };
    const api = await appWith(store);
    const response = await asAdmin(api).inject({ method: 'GET', url: '/v1/alerts/subscriptions' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.headers.etag).toBe('"broken1"');
    expect(response.json()).toMatchObject({
      code: 'SUBSCRIPTIONS_FILE_INVALID',
      errors: [{ parameter: 'routes.0.chain.1', message: '"nobody" is not one of the contacts' }],
    });
  });
});

describe('PUT /v1/alerts/subscriptions', () => {
  it('passes the body and the If-Match tags to the store and answers the new view and ETag', async () => {
    const store = new FakeStore();
    const api = await appWith(store);
    const response = await asAdmin(api).inject({
      method: 'PUT',
      url: '/v1/alerts/subscriptions',
      headers: { 'if-match': '"abc123", W/"weak"' },
      payload: DOCUMENT,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"def456"');
    expect(response.json()).toMatchObject({ etag: 'def456' });
    expect(store.replaced).toEqual([{ document: DOCUMENT, ifMatch: ['abc123'] }]);
  });

  it('answers 409 SUBSCRIPTIONS_IF_MATCH_REQUIRED without If-Match, before asking the store', async () => {
    const store = new FakeStore();
    const api = await appWith(store);
    const response = await asAdmin(api).inject({
      method: 'PUT',
      url: '/v1/alerts/subscriptions',
      payload: DOCUMENT,
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'SUBSCRIPTIONS_IF_MATCH_REQUIRED' });
    expect(store.replaced).toEqual([]);
  });

  it('answers 409 SUBSCRIPTIONS_CHANGED with the current ETag when the file changed', async () => {
    const store = new FakeStore();
    store.replaceAnswer = { outcome: 'conflict', etag: 'newer' };
    const api = await appWith(store);
    const response = await asAdmin(api).inject({
      method: 'PUT',
      url: '/v1/alerts/subscriptions',
      headers: { 'if-match': '"abc123"' },
      payload: DOCUMENT,
    });
    expect(response.statusCode).toBe(409);
    expect(response.headers.etag).toBe('"newer"');
    expect(response.json()).toMatchObject({ code: 'SUBSCRIPTIONS_CHANGED', status: 409 });
  });

  it('answers 400 SUBSCRIPTIONS_INVALID naming each path and expectation', async () => {
    const store = new FakeStore();
    store.replaceAnswer = {
      outcome: 'invalid',
      issues: [
        { path: 'contacts.0.webhook.secret', message: 'Invalid input: expected string, received undefined' },
        { path: 'routes', message: 'Too small: expected array to have >=1 items' },
      ],
    };
    const api = await appWith(store);
    const response = await asAdmin(api).inject({
      method: 'PUT',
      url: '/v1/alerts/subscriptions',
      headers: { 'if-match': '"abc123"' },
      payload: DOCUMENT,
    });
    expect(response.statusCode).toBe(400);
    const problem = response.json<{ code: string; detail: string; errors: { parameter: string }[] }>();
    expect(problem.code).toBe('SUBSCRIPTIONS_INVALID');
    expect(problem.errors.map((error) => error.parameter)).toEqual(['contacts.0.webhook.secret', 'routes']);
    expect(problem.detail).toContain('body field "contacts.0.webhook.secret" Invalid input');
  });

  it('refuses a body that is not a JSON object with 400 PARAMETER_INVALID', async () => {
    const store = new FakeStore();
    const api = await appWith(store);
    const response = await asAdmin(api).inject({
      method: 'PUT',
      url: '/v1/alerts/subscriptions',
      headers: { 'if-match': '"abc123"', 'content-type': 'application/json' },
      payload: '[1, 2]',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'PARAMETER_INVALID' });
    expect(store.replaced).toEqual([]);
  });
});

describe('without a subscribers file', () => {
  it.each(['GET', 'PUT'] as const)(
    '%s answers 404 SUBSCRIPTIONS_NOT_CONFIGURED saying how to turn them on',
    async (method) => {
      const api = await appWith();
      const response = await asAdmin(api).inject({
        method,
        url: '/v1/alerts/subscriptions',
        headers: { 'if-match': '"abc123"' },
        ...(method === 'PUT' ? { payload: DOCUMENT } : {}),
      });
      expect(response.statusCode).toBe(404);
      const problem = response.json<{ code: string; detail: string }>();
      expect(problem.code).toBe('SUBSCRIPTIONS_NOT_CONFIGURED');
      expect(problem.detail).toContain('--subscribers FILE (FS_SUBSCRIBERS_FILE)');
    },
  );
});

describe('the OpenAPI document', () => {
  it('describes both routes, the view without secrets and the admin role they need', async () => {
    const api = await appWith(new FakeStore());
    const document = (await asAdmin(api).inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, { description: string; responses: Record<string, unknown> }>>;
    }>();
    const path = document.paths['/v1/alerts/subscriptions'];
    expect(Object.keys(path ?? {}).sort()).toEqual(['get', 'put']);
    expect(path?.put?.description).toContain('Needs an admin key');
    expect(path?.get?.description).toContain('Needs an admin key');
    expect(JSON.stringify(path?.get?.responses['200'])).toContain('secretSet');
  });
});
