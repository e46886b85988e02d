import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError } from '../../errors.js';
import type { QueryPort, RouteDependencies } from '../../ports.js';
import { PROBLEM_RESPONSES } from '../../problems/problem.js';
import { fetchLatest } from '../../queries/fetch-latest.js';
import { sensorMetadataHistoryQuery } from '../../queries/metadata-query.js';
import { readMetadataSeries } from '../../queries/metadata-rows.js';
import { sensorView } from './sensor-view.js';
import { SensorParamsSchema, SensorQuerySchema, SensorResponseSchema } from './sensors-schema.js';

async function hasReadings(queries: QueryPort, station: string, sensor: string): Promise<boolean> {
  return (await fetchLatest(queries, { station, sensor })).length > 0;
}

export const sensorsRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, { queries }) => {
  app.get(
    '/v1/sensors/:station/:sensor',
    {
      config: { access: 'reader' },
      schema: {
        summary: "A sensor's metadata and the history of its calibrations",
        description:
          'The newest metadata its gateway published (position, make, model, serial number, installation ' +
          'date, calibration, description) and every calibration ever reported, by the date it was done. ' +
          'With `at` (RFC 3339), also the calibration in force at that instant: the one done most ' +
          'recently at or before it. A sensor with neither metadata nor readings is a 404 SENSOR_UNKNOWN.',
        tags: ['stations'],
        params: SensorParamsSchema,
        querystring: SensorQuerySchema,
        response: { 200: SensorResponseSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (request) => {
      const { station, sensor } = request.params;
      const records = readMetadataSeries(await queries.query(sensorMetadataHistoryQuery(station, sensor)));
      if (records.length === 0 && !(await hasReadings(queries, station, sensor))) {
        throw new ApiError('SENSOR_UNKNOWN', `station "${station}" has no sensor "${sensor}"`, 404);
      }
      const at = request.query.at === undefined ? undefined : Date.parse(request.query.at);
      return sensorView(station, sensor, records, at);
    },
  );
};
