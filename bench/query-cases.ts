import { SERIES_CHUNK_SIZE } from '../api/queries/series-chunks.js';
import {
  aggregatedSeriesQuery,
  rawSeriesPageQuery,
  type SeriesSelection,
} from '../api/queries/series-query.js';
import { RAW_PAGE_DEFAULT } from '../api/routes/series/series-params.js';
import { ACCEPT_ENCODING } from '../influx/http.js';
import { YEAR_FROM_MS, YEAR_SERIES, YEAR_TO_MS } from './query-year.js';

/** One HTTP request of a pair: where it goes and what it asks for. */
export interface TimedRequest {
  url: string;
  headers: Record<string, string>;
}

/** A pair: the API's answer and InfluxDB's answer to the InfluxQL the API sends for it. */
export interface QueryCase {
  key: 'rawJson' | 'rawCsv' | 'hourlyMean';
  label: string;
  api: TimedRequest;
  bare: TimedRequest;
}

export interface CaseTargets {
  apiUrl: string;
  influxUrl: string;
  database: string;
  /** The Authorization header value for the API, when it requires one. */
  apiAuthorization?: string;
}

const RANGE = { fromMs: YEAR_FROM_MS, toMs: YEAR_TO_MS };

function apiRequest(targets: CaseTargets, params: Record<string, string>): TimedRequest {
  const query = new URLSearchParams({
    station: YEAR_SERIES.station,
    sensor: YEAR_SERIES.sensor,
    from: new Date(YEAR_FROM_MS).toISOString(),
    to: new Date(YEAR_TO_MS).toISOString(),
    ...params,
  });
  const headers: Record<string, string> =
    targets.apiAuthorization === undefined ? {} : { authorization: targets.apiAuthorization };
  return { url: `${targets.apiUrl}/v1/series?${query}`, headers };
}

/** InfluxQL as the API's query client sends it: epoch ms, chunked in the API's chunk size, uncompressed. */
function bareRequest(targets: CaseTargets, influxql: string, accept: string): TimedRequest {
  const query = new URLSearchParams({
    db: targets.database,
    q: influxql,
    epoch: 'ms',
    chunked: 'true',
    chunk_size: String(SERIES_CHUNK_SIZE),
  });
  return {
    url: `${targets.influxUrl}/query?${query}`,
    headers: { accept, 'accept-encoding': ACCEPT_ENCODING },
  };
}

/**
 * The three pairs. The raw InfluxQL is the one a raw page runs per series (one series here, the
 * whole year in one page: the default page of RAW_PAGE_DEFAULT points holds it); the hourly one is
 * the aggregated query of the API's selection.
 */
export function queryCases(targets: CaseTargets): QueryCase[] {
  const rawSelection: SeriesSelection = { ...YEAR_SERIES, ...RANGE };
  const raw = rawSeriesPageQuery(rawSelection, undefined, RAW_PAGE_DEFAULT + 1);
  const hourlySelection: SeriesSelection = {
    station: YEAR_SERIES.station,
    sensor: YEAR_SERIES.sensor,
    ...RANGE,
  };
  const hourly = aggregatedSeriesQuery(hourlySelection, { every: '1h', fn: 'mean' });
  return [
    {
      key: 'rawJson',
      label: 'raw JSON',
      api: apiRequest(targets, {}),
      bare: bareRequest(targets, raw, 'application/json'),
    },
    {
      key: 'rawCsv',
      label: 'raw CSV',
      api: apiRequest(targets, { format: 'csv' }),
      bare: bareRequest(targets, raw, 'application/csv'),
    },
    {
      key: 'hourlyMean',
      label: 'hourly means',
      api: apiRequest(targets, { every: '1h', fn: 'mean' }),
      bare: bareRequest(targets, hourly, 'application/json'),
    },
  ];
}
