import type { QueryPort } from '../ports.js';
import { latestQuery } from './latest-query.js';
import { readSeriesChunk, type SeriesPoint, type SeriesTags } from './series-chunks.js';
import type { TagFilter } from './tag-conditions.js';

export interface LatestReading {
  tags: SeriesTags;
  point: SeriesPoint;
}

/** The newest point of every series matching `filter`, in one query. */
export async function fetchLatest(queries: QueryPort, filter: TagFilter = {}): Promise<LatestReading[]> {
  const series = await queries.query(latestQuery(filter));
  return series.flatMap((s) => {
    const { tags, points } = readSeriesChunk(s);
    return points.slice(0, 1).map((point) => ({ tags, point }));
  });
}
