import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { GatewayIdSchema, QuantitySchema, SensorIdSchema, StationIdSchema } from '../../../protocol/index.js';
import { stationFilter } from '../../auth/request-key.js';
import type { RouteDependencies } from '../../ports.js';
import { PROBLEM_RESPONSES } from '../../problems/problem.js';
import { fetchLatest } from '../../queries/fetch-latest.js';
import { ReadingValueSchema, readingValue } from '../../views/reading-view.js';

const LatestQuerySchema = z.object({
  station: StationIdSchema.optional(),
  gateway: GatewayIdSchema.optional(),
  sensor: SensorIdSchema.optional(),
  quantity: QuantitySchema.optional(),
});

const LatestReadingSchema = ReadingValueSchema.extend({
  station: z.string(),
  gateway: z.string(),
  sensor: z.string(),
  quantity: z.string(),
  unit: z.string(),
});

const LatestResponseSchema = z.object({ readings: z.array(LatestReadingSchema) });

export const latestRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, { queries }) => {
  app.get(
    '/v1/latest',
    {
      config: { access: 'reader' },
      schema: {
        summary: 'The newest reading of every series, optionally filtered',
        tags: ['series'],
        querystring: LatestQuerySchema,
        response: { 200: LatestResponseSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (request) => {
      const visible = stationFilter(request);
      const latest = (await fetchLatest(queries, request.query)).filter(({ tags }) => visible(tags.station));
      return { readings: latest.map(({ tags, point }) => ({ ...tags, ...readingValue(point) })) };
    },
  );
};
