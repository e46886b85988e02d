import type { QuerySeries } from '../../../influx/index.js';
import type { QueryPort } from '../../ports.js';
import {
  readSeriesChunk,
  SERIES_CHUNK_SIZE,
  type SeriesPoint,
  type SeriesTags,
} from '../../queries/series-chunks.js';
import { type Aggregation, aggregatedSeriesQuery, type SeriesSelection } from '../../queries/series-query.js';
import { buildProvenance, type Provenance } from './provenance.js';
import { canonicalParameters } from './series-links.js';
import { listSeries, type SeriesEntry, seriesSelection } from './series-list.js';
import type { SeriesRequest } from './series-params.js';
import { type WideColumn, wideColumns } from './wide-columns.js';

async function* pointsOf(chunks: AsyncIterable<QuerySeries>): AsyncGenerator<SeriesPoint> {
  for await (const chunk of chunks) yield* readSeriesChunk(chunk).points;
}

/** One aggregated stream per series, each narrowed to exactly that series, for mergeWideRows. */
export function windowStreams(
  queries: QueryPort,
  selection: SeriesSelection,
  aggregation: Aggregation,
  series: readonly SeriesTags[],
): AsyncIterable<SeriesPoint>[] {
  return series.map((tags) =>
    pointsOf(
      queries.stream(aggregatedSeriesQuery(seriesSelection(selection, tags), aggregation), SERIES_CHUNK_SIZE),
    ),
  );
}

export interface ExportPlan {
  series: SeriesTags[];
  columns: WideColumn[] | undefined;
  provenance: Provenance;
}

/**
 * The series a request covers, their wide columns if any, and its provenance: all before the first
 * row. `listed` saves the series query when the caller has run it already.
 */
export async function planExport(
  queries: QueryPort,
  request: SeriesRequest,
  intervalOf: (tags: SeriesTags) => number | undefined,
  nowMs: number,
  listed?: readonly SeriesEntry[],
): Promise<ExportPlan> {
  const { selection, aggregation } = request;
  const series = (listed ?? (await listSeries(queries, selection))).map((entry) => entry.tags);
  const columns = request.layout === 'wide' ? wideColumns(series) : undefined;
  const provenance = buildProvenance({
    station: selection.station,
    parameters: canonicalParameters(request),
    generatedAtMs: nowMs,
    fromMs: selection.fromMs,
    toMs: selection.toMs,
    every: aggregation?.every ?? null,
    fn: aggregation?.fn ?? null,
    layout: request.layout,
    series,
    columns,
    intervalOf,
  });
  return { series, columns, provenance };
}
