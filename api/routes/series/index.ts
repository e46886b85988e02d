import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError } from '../../errors.js';
import type { QueryPort, RouteDependencies } from '../../ports.js';
import { PROBLEM_RESPONSES } from '../../problems/problem.js';
import {
  aggregatedSeriesQuery,
  pointCountQuery,
  rawSeriesQuery,
  type SeriesSelection,
} from '../../queries/series-query.js';
import { isoTime } from '../../views/iso-time.js';
import { prefetchFirst } from './prefetch.js';
import { encodeSeriesCsv } from './series-csv.js';
import type { IntervalLookup } from './series-json.js';
import { encodeSeriesJson } from './series-json.js';
import { RAW_POINT_LIMIT, SeriesQuerySchema, type SeriesRequest } from './series-params.js';
import { SeriesCsvSchema, SeriesDocumentSchema } from './series-schema.js';

const CHUNK_SIZE = 10_000;

/** Fastify types a reply after its documented body; this route sends a stream of that body instead. */
function streamed(source: AsyncIterable<string>): string {
  return Readable.from(source) as unknown as string;
}

async function assertRawWithinLimit(queries: QueryPort, selection: SeriesSelection): Promise<void> {
  const [counted] = await queries.query(pointCountQuery(selection));
  const count = counted?.values[0]?.[1];
  if (typeof count === 'number' && count > RAW_POINT_LIMIT) {
    throw new ApiError(
      'RESULT_TOO_LARGE',
      `the range holds ${count} raw points; the limit is ${RAW_POINT_LIMIT}: aggregate with "every" (e.g. every=5m) or narrow "from" and "to"`,
      400,
      { parameter: 'every' },
    );
  }
}

function wantsCsv(format: SeriesRequest['format'], accept: string | undefined): boolean {
  return format === 'csv' || (format === undefined && accept !== undefined && accept.includes('text/csv'));
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
      const query = aggregation ? aggregatedSeriesQuery(selection, aggregation) : rawSeriesQuery(selection);
      const chunks = await prefetchFirst(queries.stream(query, CHUNK_SIZE));
      if (wantsCsv(request.query.format, request.headers.accept)) {
        return reply.type('text/csv; charset=utf-8').send(streamed(encodeSeriesCsv(chunks)));
      }
      const body = encodeSeriesJson(chunks, documentHeader(request.query), intervalOf);
      return reply.type('application/json; charset=utf-8').send(streamed(body));
    },
  );
};
