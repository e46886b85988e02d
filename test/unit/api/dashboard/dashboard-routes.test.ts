import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { installProblemHandlers } from '../../../../api/problems/problem-handlers.js';
import { dashboardRoutes } from '../../../../api/routes/dashboard/index.js';

async function appOver(root: string) {
  const app = Fastify({ loggerInstance: pino({ level: 'silent' }) }).withTypeProvider<ZodTypeProvider>();
  installProblemHandlers(app);
  await app.register(dashboardRoutes, { root });
  await app.ready();
  return app;
}

async function builtDashboard(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'fs-dashboard-files-'));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>fieldstation</title>');
  await writeFile(join(root, 'main.js'), 'export {};');
  return root;
}

describe('dashboard routes', () => {
  it('serves the page at / and its files under /ui/', async () => {
    const app = await appOver(await builtDashboard());
    const page = await app.inject('/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const script = await app.inject('/ui/main.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    await app.close();
  });

  it('sends a policy that admits scripts of its own origin and its inline import map alone, and no framing', async () => {
    const root = await builtDashboard();
    const importMap = '{ "imports": { "uplot": "/ui/vendor/uPlot.esm.js" } }';
    await writeFile(
      join(root, 'index.html'),
      `<!doctype html><script type="importmap">${importMap}</script><script type="module" src="/ui/main.js"></script>`,
    );
    const app = await appOver(root);
    const mapHash = createHash('sha256').update(importMap).digest('base64');
    // Before, neither the page nor its files carried any of these, and send's own cache-control won.
    for (const url of ['/', '/ui/main.js', '/ui/index.html']) {
      const { headers } = await app.inject(url);
      expect(headers['content-security-policy']).toBe(
        `default-src 'none'; script-src 'self' 'sha256-${mapHash}'; style-src 'self'; ` +
          "img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'self'; " +
          "frame-ancestors 'none'",
      );
      expect(headers['x-frame-options']).toBe('DENY');
      expect(headers['referrer-policy']).toBe('no-referrer');
      expect(headers['cache-control']).toBe('no-cache');
    }
    await app.close();
  });

  it('declares both routes public, the only way past the API keys', async () => {
    const app = Fastify();
    const access: Record<string, unknown> = {};
    app.addHook('onRoute', (route) => {
      access[route.url] = (route.config as { access?: unknown } | undefined)?.access;
    });
    await app.register(dashboardRoutes, { root: await builtDashboard() });
    await app.ready();
    expect(access).toEqual({ '/': 'public', '/ui/*': 'public' });
    await app.close();
  });

  it('serves nothing outside its folder', async () => {
    const app = await appOver(await builtDashboard());
    for (const url of ['/ui/../package.json', '/ui/%2e%2e/%2e%2e/etc/passwd', '/ui/nothing.js']) {
      expect((await app.inject(url)).statusCode).toBe(404);
    }
    await app.close();
  });

  it('says how to build it when it is not built', async () => {
    const app = await appOver(await mkdtemp(join(tmpdir(), 'fs-dashboard-empty-')));
    const response = await app.inject('/');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({
      code: 'ROUTE_NOT_FOUND',
      detail: expect.stringMatching(/npm run build/),
    });
    await app.close();
  });
});
