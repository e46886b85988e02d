import type { InfluxQueryClient } from '../influx/index.js';
import type { LiveView } from './live/live-view.js';

/** The part of the InfluxDB client the routes use, so tests may pass a stand-in. */
export type QueryPort = Pick<InfluxQueryClient, 'query' | 'stream' | 'ping'>;

/** What every route plugin receives. */
export interface RouteDependencies {
  queries: QueryPort;
  live: LiveView;
}
