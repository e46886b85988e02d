import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteDependencies } from '../../ports.js';
import { PROBLEM_RESPONSES } from '../../problems/problem.js';
import { aggregatedSeriesQuery, rawSeriesQuery } from '../../queries/series-query.js';
import { isoTime } from '../../views/iso-time.js';
import { wantsCsv } from '../../views/wants-csv.js';
import { prefetchFirst } from './prefetch.js';
import { assertRawWithinLimit, assertWindowsWithinLimit } from './result-limits.js';
import { encodeSeriesCsv } from './series-csv.js';
import type { IntervalLookup } from './series-json.js';
import { encodeSeriesJson } from './series-json.js';
import { RAW_POINT_LIMIT, SeriesQuerySchema, type SeriesRequest, WINDOW_LIMIT } from './series-params.js';
import { SeriesCsvSchema, SeriesDocumentSchema } from './series-schema.js';
import { type FailureReport, streamFailure } from './stream-failure.js';

const CHUNK_SIZE = 10_000;

const DESCRIPTION =
  `A request returns at most ${RAW_POINT_LIMIT} raw points, or ${WINDOW_LIMIT} windows counted over all ` +
  'its series (windows per series × series); above that it is refused up front with a 400 ' +
  'RESULT_TOO_LARGE problem naming the figures. A failure before the first data is a problem response. ' +
  'A failure after the 200 status line (the database dies mid-query) cannot change the status, so the ' +
  'body says it instead: JSON ends with an `error` member `{code, detail}` after `series` (the ' +
  'document stays valid JSON), CSV ends with a line `# error: CODE detail`. Either means the data ' +
  'is incomplete.';

/** Fastify types a reply after its documented body; this route sends a stream of that body instead. */
function streamed(source: AsyncIterable<string>): string {
  return Readable.from(source) as unknown as string;
}

function documentHeader({ selection, aggregation }: SeriesRequest) {
  return {
    station: selection.station,
    from: isoTime(selection.fromMs),
    to: isoTime(selection.toMs),
    every: aggregation?.every ?? null,
    fn: aggregation?.fn ?? null,
  };
}

export const seriesRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, { queries, live }) => {
  const intervalOf: IntervalLookup = (tags) =>
    live
      .gateway(tags.station, tags.gateway)
      ?.sensors.find((sensor) => sensor.sensor === tags.sensor && sensor.quantity === tags.quantity)
      ?.intervalMs;

  app.get(
    '/v1/series',
    {
      schema: {
        summary: 'Time series of one sensor or one quantity, raw or aggregated, streamed as JSON or CSV',
        description: DESCRIPTION,
        tags: ['series'],
        querystring: SeriesQuerySchema,
        response: {
          200: {
            description: 'streamed; JSON unless format=csv or Accept: text/csv',
            content: {
              'application/json': { schema: SeriesDocumentSchema },
              'text/csv': { schema: SeriesCsvSchema },
            },
          },
          ...PROBLEM_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const { selection, aggregation } = request.query;
      if (aggregation === undefined) await assertRawWithinLimit(queries, selection);
      else await assertWindowsWithinLimit(queries, selection, aggregation);
      const query = aggregation ? aggregatedSeriesQuery(selection, aggregation) : rawSeriesQuery(selection);
      const chunks = await prefetchFirst(queries.stream(query, CHUNK_SIZE));
      const onFailure: FailureReport = (error) => {
        request.log.error({ err: error }, 'series stream failed after the response started');
        return streamFailure(error);
      };
      if (wantsCsv(request.query.format, request.headers.accept)) {
        return reply.type('text/csv; charset=utf-8').send(streamed(encodeSeriesCsv(chunks, onFailure)));
      }
      const body = encodeSeriesJson(chunks, documentHeader(request.query), intervalOf, onFailure);
      return reply.type('application/json; charset=utf-8').send(streamed(body));
    },
  );
};
