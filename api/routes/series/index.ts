import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteDependencies } from '../../ports.js';
import { PROBLEM_RESPONSES } from '../../problems/problem.js';
import { SERIES_CHUNK_SIZE } from '../../queries/series-chunks.js';
import { aggregatedSeriesQuery } from '../../queries/series-query.js';
import type { BodyPart } from '../../views/byte-text.js';
import { isoTime } from '../../views/iso-time.js';
import { wantsCsv } from '../../views/wants-csv.js';
import { prefetchChecked, prefetchFirst } from './prefetch.js';
import { ProvenanceSchema, provenanceComments } from './provenance.js';
import { influxSeriesReader, pageSteps, RawPage } from './raw-page.js';
import { assertWideWithinLimit, assertWindowsWithinLimit, WIDE_SERIES_LIMIT } from './result-limits.js';
import { encodeSeriesCsv } from './series-csv.js';
import { planExport, windowStreams } from './series-exports.js';
import type { IntervalLookup } from './series-json.js';
import { encodeSeriesJson } from './series-json.js';
import { nextPageUrl } from './series-links.js';
import { listSeries, type SeriesEntry } from './series-list.js';
import {
  RAW_PAGE_DEFAULT,
  RAW_POINT_LIMIT,
  SeriesQuerySchema,
  type SeriesRequest,
  WINDOW_LIMIT,
} from './series-params.js';
import { SeriesCsvSchema, SeriesDocumentSchema, WideDocumentSchema } from './series-schema.js';
import { type FailureReport, streamFailure } from './stream-failure.js';
import { encodeWideCsv } from './wide-csv.js';
import { encodeWideJson } from './wide-json.js';
import { mergeWideRows } from './wide-rows.js';

const DESCRIPTION =
  `Raw points come in pages of \`limit\` points (default ${RAW_PAGE_DEFAULT}, at most ${RAW_POINT_LIMIT}), ` +
  'series after series in key order (station, gateway, sensor, quantity, unit), oldest first within a ' +
  'series; JSON carries `next` (the URL of the following page, null on the last), CSV ends with a line ' +
  '`# next: URL` unless it is the last page. Aggregated requests (`every`) return at most ' +
  `${WINDOW_LIMIT} windows counted over all its series (windows per series × series); above that they ` +
  'are refused up front with a 400 RESULT_TOO_LARGE problem naming the figures. `layout=wide` (with ' +
  '`every`) gives one row per window and a value and qc column per series, for at most ' +
  `${WIDE_SERIES_LIMIT} series. ` +
  'A failure before the first ' +
  'data is a problem response. A failure after the 200 status line (the database dies mid-query) ' +
  'cannot change the status, so the body says it instead: JSON ends with an `error` member ' +
  '`{code, detail}` (the document stays valid JSON), CSV ends with a line `# error: CODE detail`. ' +
  'Either means the data is incomplete.';

/**
 * Parts (a chunk of points each) encoded ahead of the socket. Readable.from holds one by default, and
 * a part is far larger than the socket's buffer, so every part waited for the client to take the one
 * before it, and the query behind it waited too: reading InfluxDB, encoding and sending took turns
 * instead of overlapping. A few parts ahead keeps all three busy, in bounded memory.
 */
const READ_AHEAD_PARTS = 4;

/** Fastify types a reply after its documented body; this route sends a stream of that body instead. */
function streamed(source: AsyncIterable<BodyPart>): string {
  return Readable.from(source, { highWaterMark: READ_AHEAD_PARTS }) as unknown as string;
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

type Send = (request: FastifyRequest, reply: FastifyReply, query: SeriesRequest) => Promise<FastifyReply>;

export const seriesRoutes: FastifyPluginAsyncZod<RouteDependencies> = async (app, { queries, live }) => {
  const intervalOf: IntervalLookup = (tags) =>
    live
      .gateway(tags.station, tags.gateway)
      ?.sensors.find((sensor) => sensor.sensor === tags.sensor && sensor.quantity === tags.quantity)
      ?.intervalMs;

  const failureReport =
    (request: FastifyRequest): FailureReport =>
    (error) => {
      request.log.error({ err: error }, 'series stream failed after the response started');
      return streamFailure(error);
    };

  const csvFor = (request: FastifyRequest, query: SeriesRequest) =>
    wantsCsv(query.format, request.headers.accept);

  /** The `#` block, when asked for; it needs the series list, one small query. */
  const preambleOf = async (query: SeriesRequest, listed?: readonly SeriesEntry[]): Promise<string> => {
    if (query.header !== 'comments') return '';
    return provenanceComments((await planExport(queries, query, intervalOf, Date.now(), listed)).provenance);
  };

  const sendRaw: Send = async (request, reply, query) => {
    const paging = query.paging ?? { limit: RAW_PAGE_DEFAULT, cursor: undefined };
    const listed = await listSeries(queries, query.selection);
    const steps = pageSteps(listed, paging.cursor);
    const page = new RawPage(influxSeriesReader(queries, query.selection), steps, paging.limit);
    // Everything that may fail before the stream starts, so a failure cannot leave a query open.
    const preamble = csvFor(request, query) ? await preambleOf(query, listed) : '';
    const chunks = await prefetchFirst(page.chunks());
    const next = () => (page.next === undefined ? null : nextPageUrl(query, page.next));
    if (csvFor(request, query)) {
      const closing = () => {
        const url = next();
        return url === null ? '' : `# next: ${url}\r\n`;
      };
      const body = encodeSeriesCsv(chunks, failureReport(request), { preamble, closing });
      return reply.type('text/csv; charset=utf-8').send(streamed(body));
    }
    const body = encodeSeriesJson(chunks, documentHeader(query), intervalOf, failureReport(request), () => ({
      next: next(),
    }));
    return reply.type('application/json; charset=utf-8').send(streamed(body));
  };

  const sendWindows: Send = async (request, reply, query) => {
    const { selection, aggregation } = query;
    if (aggregation === undefined) return sendRaw(request, reply, query);
    const preamble = csvFor(request, query) ? await preambleOf(query) : '';
    // The limit's series count and the query's first chunk are awaited together: one round trip less.
    const cancel = new AbortController();
    const chunks = await prefetchChecked(
      assertWindowsWithinLimit(queries, selection, aggregation),
      queries.stream(aggregatedSeriesQuery(selection, aggregation), SERIES_CHUNK_SIZE, cancel.signal),
      () => cancel.abort(),
    );
    if (csvFor(request, query)) {
      const body = encodeSeriesCsv(chunks, failureReport(request), { preamble });
      return reply.type('text/csv; charset=utf-8').send(streamed(body));
    }
    const body = encodeSeriesJson(chunks, documentHeader(query), intervalOf, failureReport(request));
    return reply.type('application/json; charset=utf-8').send(streamed(body));
  };

  const sendWide: Send = async (request, reply, query) => {
    const { selection, aggregation } = query;
    if (aggregation === undefined) return sendRaw(request, reply, query);
    await assertWindowsWithinLimit(queries, selection, aggregation);
    const plan = await planExport(queries, query, intervalOf, Date.now());
    assertWideWithinLimit(plan.series.length);
    const columns = plan.columns ?? [];
    const rows = await prefetchFirst(
      mergeWideRows(windowStreams(queries, selection, aggregation, plan.series)),
    );
    if (csvFor(request, query)) {
      const preamble = query.header === 'comments' ? provenanceComments(plan.provenance) : '';
      const body = encodeWideCsv(rows, columns, preamble, failureReport(request));
      return reply.type('text/csv; charset=utf-8').send(streamed(body));
    }
    const header = { ...documentHeader(query), every: aggregation.every, fn: aggregation.fn };
    const body = encodeWideJson(rows, columns, header, failureReport(request));
    return reply.type('application/json; charset=utf-8').send(streamed(body));
  };

  const SENDERS: Record<'raw' | 'windows' | 'wide', Send> = {
    raw: sendRaw,
    windows: sendWindows,
    wide: sendWide,
  };
  const senderFor = (query: SeriesRequest): Send =>
    SENDERS[query.aggregation === undefined ? 'raw' : query.layout === 'wide' ? 'wide' : 'windows'];

  app.get(
    '/v1/series',
    {
      config: { access: 'reader' },
      schema: {
        summary:
          'Time series of one or several sensors or one quantity, raw (paged) or aggregated, as JSON or CSV',
        description: DESCRIPTION,
        tags: ['series'],
        querystring: SeriesQuerySchema,
        response: {
          200: {
            description: 'streamed; JSON unless format=csv or Accept: text/csv',
            content: {
              'application/json': { schema: SeriesDocumentSchema.or(WideDocumentSchema) },
              'text/csv': { schema: SeriesCsvSchema },
            },
          },
          ...PROBLEM_RESPONSES,
        },
      },
    },
    async (request, reply) => senderFor(request.query)(request, reply, request.query),
  );

  app.get(
    '/v1/series/metadata',
    {
      config: { access: 'reader' },
      schema: {
        summary:
          'Provenance of a /v1/series export: station, sensors, units, QC flags, the query and the time',
        description:
          'Takes the parameters of /v1/series and answers what the same export carries in its CSV `#` ' +
          'block (header=comments), as JSON: a sidecar file to publish beside the data.',
        tags: ['series'],
        querystring: SeriesQuerySchema,
        response: { 200: ProvenanceSchema, ...PROBLEM_RESPONSES },
      },
    },
    async (request) => (await planExport(queries, request.query, intervalOf, Date.now())).provenance,
  );
};
