import { ApiError } from '../errors.js';
import type { ApiKeyRecord } from '../keys/api-key.js';
import type { ApiKeyStore } from '../keys/key-store.js';
import { accessDecision } from './access-decision.js';
import type { AuthMetrics } from './auth-metrics.js';
import { parseBearer } from './bearer-header.js';
import type { FailureThrottle } from './failure-throttle.js';
import { keyVerdict } from './key-verdict.js';
import type { ApiInstance } from './route-access.js';
import { stationsNamed } from './station-scope.js';

export interface AuthenticationOptions {
  keys: ApiKeyStore;
  throttle: FailureThrottle;
  metrics: AuthMetrics;
  now: () => number;
}

/**
 * The key check in front of every route (onRequest, so before any input is parsed or validated):
 * public routes pass; otherwise a throttled address gets 429, a missing or bad key 401 (a bad one
 * counts toward the throttle), a key without the route's role or the named station 403.
 * Unknown paths are left to the not-found handler.
 */
export function installAuthentication(app: ApiInstance, options: AuthenticationOptions): void {
  const { keys, throttle, metrics, now } = options;
  // Why the keys cannot be read (the file's path and its faults) is for the log, not for any caller.
  const findKey = async (id: string): Promise<ApiKeyRecord | undefined> => {
    try {
      return await keys.find(id);
    } catch (error) {
      app.log.error({ err: error }, 'API keys cannot be read; every request that needs a key is refused');
      throw new ApiError(
        'API_KEYS_FILE_INVALID',
        'the API keys cannot be read; the server log says why',
        503,
      );
    }
  };
  app.decorateRequest('apiKey', null);
  app.addHook('onRequest', async (request, reply) => {
    if (request.is404) return;
    const access = request.routeOptions.config.access;
    if (access === 'public') return;
    const nowMs = now();
    const waitMs = throttle.blockedFor(request.ip, nowMs);
    if (waitMs > 0) {
      metrics.throttled();
      void reply.header('retry-after', String(Math.ceil(waitMs / 1000)));
      throw new ApiError(
        'AUTH_THROTTLED',
        'too many failed API key checks from this address; try again later',
        429,
      );
    }
    const bearer = parseBearer(request.headers.authorization);
    const verdict = bearer.ok ? keyVerdict(await findKey(bearer.key.id), bearer.key, nowMs) : bearer;
    if (!verdict.ok) {
      metrics.failed(verdict.code);
      // No header guesses nothing, and it is all another site's page can make a browser send here (a
      // header of its own needs CORS): counted, any page a visitor opens could block their address.
      const blockMs = verdict.code === 'KEY_MISSING' ? 0 : throttle.fail(request.ip, nowMs);
      if (blockMs > 0)
        request.log.warn({ client: request.ip, blockMs }, 'client blocked after failed API key checks');
      void reply.header(
        'www-authenticate',
        `Bearer realm="fieldstation"${bearer.ok ? ', error="invalid_token"' : ''}`,
      );
      throw new ApiError(verdict.code, verdict.message, 401);
    }
    request.apiKey = verdict.record;
    const decision = accessDecision(verdict.record, access, stationsNamed(request.params, request.query));
    if (!decision.ok) {
      metrics.refused(decision.code);
      throw new ApiError(decision.code, decision.message, 403);
    }
  });
}
