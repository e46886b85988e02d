import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { keyStations } from '../../auth/request-key.js';
import type { QueryPort, RouteDependencies } from '../../ports.js';
import { PROBLEM_RESPONSES } from '../../problems/problem.js';
import { type QuarantineSelection, quarantineQuery } from '../../queries/quarantine-query.js';
import { collectPage, PAGE_BUDGET_BYTES } from './quarantine-page.js';
import { nextPageUrl, QUARANTINE_LIMIT_MAX, QuarantineQuerySchema } from './quarantine-params.js';
import { type QuarantineRecord, QuarantineRecordSchema, quarantineRecords } from './quarantine-records.js';

/**
 * Rows per InfluxDB chunk: records stored before the ingest bounded them may hold a megabyte each,
 * and the route reads only as many as its page takes.
 */
const CHUNK_ROWS = 10;

const QuarantineResponseSchema = z.object({
  records: z.array(QuarantineRecordSchema),
  next: z
    .string()
    .nullable()
    .describe('URL of the next (older) page; null on the last page. The cursor in it is opaque.'),
});

async function* recordsOf(
  queries: QueryPort,
  selection: QuarantineSelection,
): AsyncGenerator<QuarantineRecord> {
  for await (const chunk of queries.stream(quarantineQuery(selection), CHUNK_ROWS)) {
    yield* quarantineRecords(chunk);
  }
}

export const quarantineRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, { queries }) => {
  app.get(
    '/v1/quarantine',
    {
      config: { access: 'technician' },
      schema: {
        summary: 'Refused MQTT input (dead letters), newest first, a page at a time',
        description:
          `At most \`limit\` records (1 to ${QUARANTINE_LIMIT_MAX}, default 100; above is a 400) and about ` +
          `${PAGE_BUDGET_BYTES / 1024 / 1024} MiB of JSON per page; \`reason\` and \`payload\` are cut to a ` +
          'few KiB (see `reasonTruncated`, `payloadTruncated`). Follow `next` until it is null for the rest. ' +
          'A key limited to stations sees only records of those stations (not those whose topic named none).',
        tags: ['quarantine'],
        querystring: QuarantineQuerySchema,
        response: { 200: QuarantineResponseSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (request) => {
      const selection = request.query;
      const visible = { ...selection, visibleStations: keyStations(request) };
      const page = await collectPage(recordsOf(queries, visible), {
        limit: selection.limit,
        budgetBytes: PAGE_BUDGET_BYTES,
        cursor: selection.cursor,
      });
      return {
        records: page.records,
        next: page.next === undefined ? null : nextPageUrl(selection, page.next),
      };
    },
  );
};
