import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { ApiKeyRecord } from '../keys/api-key.js';
import type { AccessLevel } from '../keys/roles.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; a route without it refuses every request. */
    access?: AccessLevel;
  }
  interface FastifyRequest {
    /** The key the request was let in with; null on public routes. */
    apiKey: ApiKeyRecord | null;
  }
}

export interface RouteAccess {
  method: string;
  url: string;
  access: AccessLevel | undefined;
}

const tables = new WeakMap<object, RouteAccess[]>();

/**
 * Records every route with its access level as it is added, and marks public routes as needing no
 * key in the OpenAPI document (the rest inherit the document's bearerAuth requirement). Must be
 * installed before the routes are registered.
 */
/** The app as buildApp makes it, for the parts installed on it. */
export type ApiInstance = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  Logger,
  ZodTypeProvider
>;

export function recordRouteAccess(app: ApiInstance): void {
  const table: RouteAccess[] = [];
  tables.set(app, table);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    for (const method of [route.method].flat()) table.push({ method, url: route.url, access });
    if (access === 'public' && route.schema !== undefined) route.schema = { ...route.schema, security: [] };
  });
}

/** Every route of the app with its access level, for the tests that check each role's reach. */
export function routeAccessTable(app: object): readonly RouteAccess[] {
  const table = tables.get(app);
  if (table === undefined) throw new Error('routeAccessTable: the app was not built with recordRouteAccess');
  return table;
}
