import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { ApiError } from '../../errors.js';
import { dashboardHeaders, dashboardPolicy, inlineScriptHashes } from './content-security.js';

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
  const page = join(root, 'index.html');
  const built = existsSync(page);
  const headers = dashboardHeaders(
    dashboardPolicy(built ? inlineScriptHashes(await readFile(page, 'utf8')) : []),
  );
  await app.register(fastifyStatic, { root, serve: false });
  // send's own `public, max-age=0` would replace the no-cache of `headers`.
  const UNCACHED = { cacheControl: false } as const;

  const notBuilt = () =>
    new ApiError(
      'ROUTE_NOT_FOUND',
      `the dashboard is not built (no ${root}/index.html): run npm run build`,
      404,
    );

  app.get('/', { config: PUBLIC, schema: HIDDEN }, async (_request, reply) => {
    if (!built) throw notBuilt();
    return reply.headers(headers).sendFile('index.html', UNCACHED);
  });

  app.get<{ Params: { '*': string } }>(
    '/ui/*',
    { config: PUBLIC, schema: HIDDEN },
    async (request, reply) => {
      if (!built) throw notBuilt();
      return reply.headers(headers).sendFile(request.params['*'], UNCACHED);
    },
  );
};
