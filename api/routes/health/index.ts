import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDependencies } from '../../ports.js';

const HealthResponseSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  influx: z.object({ reachable: z.boolean() }),
  mqtt: z.object({ connected: z.boolean() }),
});

export const healthRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, { queries, live }) => {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness: 200 when InfluxDB answers and the MQTT feed is connected, 503 otherwise',
        tags: ['health'],
        response: { 200: HealthResponseSchema, 503: HealthResponseSchema },
      },
    },
    async (request, reply) => {
      const reachable = await queries.ping().then(
        () => true,
        (error: unknown) => {
          request.log.warn({ err: error }, 'InfluxDB ping failed');
          return false;
        },
      );
      const connected = live.isConnected();
      const ok = reachable && connected;
      return reply
        .code(ok ? 200 : 503)
        .send({ status: ok ? 'ok' : 'degraded', influx: { reachable }, mqtt: { connected } });
    },
  );
};
