import type { ApiInstance } from '../auth/route-access.js';

/**
 * Headers every answer carries. `nosniff`, so a browser never reads a JSON or CSV answer (which may
 * hold text from a gateway's config) as HTML or script. `no-store` on everything a key opened: those
 * answers are one key's view, and POST /v1/keys holds a secret; a browser or proxy must keep none
 * of them, though a route may say otherwise with its own cache-control.
 */
export function installResponseHeaders(app: ApiInstance): void {
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-content-type-options', 'nosniff');
    const keyed = request.routeOptions.config.access !== 'public';
    if (keyed && !reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
  });
}
