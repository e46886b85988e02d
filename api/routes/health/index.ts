import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDependencies } from '../../ports.js';
import { type HealthCheck, HealthCheckViewSchema, runHealthChecks } from './health-check.js';
import { PING_DEADLINE_MS, pingWithin } from './influx-ping.js';

export interface HealthRoutesOptions extends RouteDependencies {
  /** Checks of the process that embeds the API, e.g. the ingest's in `fieldstation up`. */
  checks: readonly HealthCheck[];
}

const HealthResponseSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  influx: z.object({
    reachable: z.boolean(),
    reason: z
      .string()
      .optional()
      .describe(`why not, e.g. no answer within ${PING_DEADLINE_MS} ms; absent when reachable`),
  }),
  mqtt: z.object({ connected: z.boolean() }),
  checks: z
    .array(HealthCheckViewSchema)
    .describe('checks added by the process that embeds the API; any failed one makes the status degraded'),
});

export const healthRoutes: FastifyPluginAsyncZod<HealthRoutesOptions> = async (
  app,
  { queries, live, checks },
) => {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: {
        summary: `Liveness: 200 when InfluxDB answers within ${PING_DEADLINE_MS} ms, the MQTT feed is connected and every added check passes, 503 otherwise`,
        tags: ['health'],
        response: { 200: HealthResponseSchema, 503: HealthResponseSchema },
      },
    },
    async (request, reply) => {
      const influx = await pingWithin(queries, PING_DEADLINE_MS, request.log);
      const connected = live.isConnected();
      const results = runHealthChecks(checks);
      const ok = influx.reachable && connected && results.every((result) => result.ok);
      return reply
        .code(ok ? 200 : 503)
        .send({ status: ok ? 'ok' : 'degraded', influx, mqtt: { connected }, checks: results });
    },
  );
};
