/**
 * What the series explorer shows, as one value: it is kept in the page address (so a plot can be
 * bookmarked or sent) and turned into the /v1/series query for the plot and for the CSV. Pure.
 */

export const AGGREGATES = ['mean', 'min', 'max', 'count', 'first', 'last'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export interface SeriesRequest {
  station: string;
  sensors: string[];
  from: string;
  to: string;
  /** Absent: raw points. */
  every: string | undefined;
  fn: Aggregate;
}

export const DEFAULT_RANGE = { from: '-7d', to: 'now' } as const;

function isAggregate(text: string | null): text is Aggregate {
  return (AGGREGATES as readonly string[]).includes(text ?? '');
}

export function parseSeriesRequest(params: URLSearchParams): SeriesRequest {
  const fn = params.get('fn');
  return {
    station: params.get('station') ?? '',
    sensors: params.getAll('sensor').filter((sensor) => sensor !== ''),
    from: params.get('from') || DEFAULT_RANGE.from,
    to: params.get('to') || DEFAULT_RANGE.to,
    every: params.get('every') || undefined,
    fn: isAggregate(fn) ? fn : 'mean',
  };
}

/** The explorer's own address parameters. */
export function seriesRequestParams(request: SeriesRequest): URLSearchParams {
  const params = new URLSearchParams({ station: request.station });
  for (const sensor of request.sensors) params.append('sensor', sensor);
  params.set('from', request.from);
  params.set('to', request.to);
  if (request.every !== undefined) {
    params.set('every', request.every);
    params.set('fn', request.fn);
  }
  return params;
}

/** The API query: the plot asks for JSON, the download for CSV; everything else is the same. */
export function seriesApiPath(request: SeriesRequest, format: 'json' | 'csv'): string {
  const params = seriesRequestParams(request);
  if (format === 'csv') params.set('format', 'csv');
  return `/v1/series?${params.toString()}`;
}

/** A file name that says what is in it: jinfo_cave-co2-1_-7d_now_1h-mean.csv. */
export function csvFileName(request: SeriesRequest): string {
  const window = request.every === undefined ? 'raw' : `${request.every}-${request.fn}`;
  const parts = [request.station, request.sensors.join('+'), request.from, request.to, window];
  return `${parts.join('_').replace(/[^A-Za-z0-9+_.-]/g, '-')}.csv`;
}
