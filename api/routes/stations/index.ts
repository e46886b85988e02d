import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteDependencies } from '../../ports.js';
import { PROBLEM_RESPONSES } from '../../problems/problem.js';
import { fetchLatest } from '../../queries/fetch-latest.js';
import { StationsResponseSchema } from './stations-schema.js';
import { assembleStations } from './stations-view.js';

export const stationsRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, { queries, live }) => {
  app.get(
    '/v1/stations',
    {
      schema: {
        summary: 'Stations, their gateways (online state) and sensors with their last reading',
        tags: ['stations'],
        response: { 200: StationsResponseSchema, ...PROBLEM_RESPONSES },
      },
    },
    async () => ({ stations: assembleStations(await fetchLatest(queries), live.gateways()) }),
  );
};
