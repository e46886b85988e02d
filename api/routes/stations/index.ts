import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { keyHasRole, stationFilter } from '../../auth/request-key.js';
import type { RouteDependencies } from '../../ports.js';
import { PROBLEM_RESPONSES } from '../../problems/problem.js';
import { fetchLatest } from '../../queries/fetch-latest.js';
import { latestMetadataQuery } from '../../queries/metadata-query.js';
import { readMetadataSeries } from '../../queries/metadata-rows.js';
import { StationsResponseSchema } from './stations-schema.js';
import { assembleStations, withoutHealth } from './stations-view.js';

export const stationsRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, { queries, live }) => {
  app.get(
    '/v1/stations',
    {
      config: { access: 'reader' },
      schema: {
        summary: 'Stations, their gateways (online state) and sensors with their last reading and metadata',
        description:
          'Each station, gateway and sensor carries `metadata`: the newest of what its gateway published ' +
          'in its `meta` message (position, make, model, serial number, installation date, the calibration ' +
          "in force, description), or null. A sensor's calibration history is at /v1/sensors/{station}/{sensor}. " +
          "A gateway's `health` is shown to technician and admin keys; a reader key sees null. A key limited " +
          'to stations sees only those.',
        tags: ['stations'],
        response: { 200: StationsResponseSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (request) => {
      const [latest, metadata] = await Promise.all([
        fetchLatest(queries),
        queries.query(latestMetadataQuery()).then(readMetadataSeries),
      ]);
      const visible = stationFilter(request);
      const stations = assembleStations(latest, live.gateways(), metadata).filter((s) => visible(s.station));
      return { stations: keyHasRole(request, 'technician') ? stations : stations.map(withoutHealth) };
    },
  );
};
