import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteDependencies } from '../../ports.js';
import { PROBLEM_RESPONSES } from '../../problems/problem.js';
import { wantsCsv } from '../../views/wants-csv.js';
import { RAW_POINT_LIMIT } from '../series/series-params.js';
import { encodeCompletenessCsv } from './completeness-csv.js';
import { CompletenessQuerySchema, ROW_LIMIT } from './completeness-params.js';
import { fetchCompleteness } from './completeness-report.js';
import { CompletenessCsvSchema, CompletenessDocumentSchema } from './completeness-schema.js';
import { GAP_LIST_LIMIT } from './window-gaps.js';

const DESCRIPTION =
  'Per gateway, sensor (one row per quantity it measures) and window: readings expected from the ' +
  'sampling interval the gateway announces in its retained status, received (stored) and missing; ' +
  "per gateway and window, from the ingest's running totals (gateway_sequence): messages received, " +
  'duplicates delivered and late arrivals; and the gaps, spans of more than 3 intervals without a ' +
  `reading (at most ${GAP_LIST_LIMIT} listed per sensor row, then gapsTruncated). Windows are cut to ` +
  `the range. A request of more than ${ROW_LIMIT} rows (windows × sensor rows), or whose gaps would ` +
  `mean reading more than ${RAW_POINT_LIMIT} readings, is refused with a 400 RESULT_TOO_LARGE problem ` +
  'naming the figures. Intervals are those announced now: a sensor whose interval changed within the ' +
  'range is judged by its current one, and without the live MQTT view none is known.';

export const completenessRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (
  app,
  { queries, live },
) => {
  app.get(
    '/v1/completeness',
    {
      config: { access: 'reader' },
      schema: {
        summary: 'Readings expected, received and missing, messages, duplicates, late, and gaps per window',
        description: DESCRIPTION,
        tags: ['series'],
        querystring: CompletenessQuerySchema,
        response: {
          200: {
            description: 'JSON unless format=csv or Accept: text/csv',
            content: {
              'application/json': { schema: CompletenessDocumentSchema },
              'text/csv': { schema: CompletenessCsvSchema },
            },
          },
          ...PROBLEM_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const document = await fetchCompleteness(queries, live, request.query);
      if (wantsCsv(request.query.format, request.headers.accept)) {
        return reply.type('text/csv; charset=utf-8').send(encodeCompletenessCsv(document));
      }
      return reply.type('application/json; charset=utf-8').send(document);
    },
  );
};
