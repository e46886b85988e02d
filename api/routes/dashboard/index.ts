import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { ApiError } from '../../errors.js';

export interface DashboardRoutesOptions {
  /** The built dashboard (index.html, app modules, styles, uPlot); see builtDashboardDir. */
  root: string;
}

const PUBLIC = { access: 'public' } as const;
// Static files are no API resource: they stay out of the OpenAPI document.
const HIDDEN = { hide: true } as const;

/**
 * The dashboard's static files: the page at `/`, everything it loads under `/ui/`. Both are public
 * (the page asks for a key and sends it with every API call); the API routes it calls are not. No
 * CDN: stations are often offline, so uPlot comes from the package too.
 */
export const dashboardRoutes: FastifyPluginAsync<DashboardRoutesOptions> = async (app, { root }) => {
  const built = existsSync(join(root, 'index.html'));
  await app.register(fastifyStatic, { root, serve: false });

  const notBuilt = () =>
    new ApiError(
      'ROUTE_NOT_FOUND',
      `the dashboard is not built (no ${root}/index.html): run npm run build`,
      404,
    );

  app.get('/', { config: PUBLIC, schema: HIDDEN }, async (_request, reply) => {
    if (!built) throw notBuilt();
    // The page names its modules without a version, so it must be asked for again after an upgrade.
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });

  app.get<{ Params: { '*': string } }>(
    '/ui/*',
    { config: PUBLIC, schema: HIDDEN },
    async (request, reply) => {
      if (!built) throw notBuilt();
      return reply.header('cache-control', 'no-cache').sendFile(request.params['*']);
    },
  );
};
