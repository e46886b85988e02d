import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDependencies } from '../../ports.js';
import { PROBLEM_RESPONSES } from '../../problems/problem.js';
import { quarantineQuery } from '../../queries/quarantine-query.js';
import { QuarantineQuerySchema } from './quarantine-params.js';
import { QuarantineRecordSchema, quarantineRecords } from './quarantine-records.js';

const QuarantineResponseSchema = z.object({ records: z.array(QuarantineRecordSchema) });

export const quarantineRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, { queries }) => {
  app.get(
    '/v1/quarantine',
    {
      schema: {
        summary: 'Refused MQTT input (dead letters), newest first',
        tags: ['quarantine'],
        querystring: QuarantineQuerySchema,
        response: { 200: QuarantineResponseSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (request) => ({ records: quarantineRecords(await queries.query(quarantineQuery(request.query))) }),
  );
};
