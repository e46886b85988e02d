import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { keyStations } from '../../auth/request-key.js';
import type { RouteDependencies } from '../../ports.js';
import { PROBLEM_RESPONSES } from '../../problems/problem.js';
import { alertHistoryQuery } from '../../queries/alert-history-query.js';
import { historyPage } from './history-page.js';
import { HISTORY_LIMIT_MAX, HistoryQuerySchema, nextHistoryUrl } from './history-params.js';
import { HistoryEntrySchema, historyRows } from './history-rows.js';

const HistoryResponseSchema = z.object({
  entries: z.array(HistoryEntrySchema),
  next: z
    .string()
    .nullable()
    .describe('URL of the next (older) page; null on the last page. The cursor in it is opaque.'),
});

export const alertHistoryRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, { queries }) => {
  app.get(
    '/v1/alerts/history',
    {
      config: { access: 'reader' },
      schema: {
        summary:
          'What happened to alert rules: fires, clears, acks, silences, lifts and deliveries, newest first',
        description:
          `At most \`limit\` entries (1 to ${HISTORY_LIMIT_MAX}, default 100; above is a 400) per page; follow ` +
          '`next` until it is null for the rest. Filter by `station`, `rule` and a time range `start` ' +
          '(included) to `end` (excluded). Fires and clears sit at the sample time that changed the state, ' +
          'the others at the time they were made; all come from InfluxDB, as stored by the ingest. A key limited to ' +
          'stations sees only theirs.',
        tags: ['alerts'],
        querystring: HistoryQuerySchema,
        response: { 200: HistoryResponseSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (request) => {
      const selection = request.query;
      const visibleStations = keyStations(request);
      const series = await queries.query(alertHistoryQuery({ ...selection, visibleStations }));
      const page = historyPage(series.flatMap(historyRows), selection.limit, selection.cursor);
      return {
        entries: page.entries,
        next: page.next === undefined ? null : nextHistoryUrl(selection, page.next),
      };
    },
  );
};
