/**
 * The API of the query bench, on a thread of its own: the bench's client reads megabytes of
 * answers, and on the API's event loop that reading would be charged to the API.
 */

import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { buildApp } from '../api/app.js';
import { FileKeyStore } from '../api/keys/file-key-store.js';
import { LiveStore } from '../api/live/live-store.js';
import { InfluxQueryClient } from '../influx/index.js';
import { YEAR_INTERVAL_MS, YEAR_SERIES } from './query-year.js';

export interface QueryApiThreadData {
  influxUrl: string;
  database: string;
  /** The keys file the API checks every request's Bearer key against. */
  keysFile: string;
}

/** From the thread: where it listens, or why it could not start. */
export type QueryApiEvent = { type: 'listening'; port: number } | { type: 'failed'; message: string };

const port = parentPort;
if (port === null) throw new Error('query-api-thread.js runs only as a worker thread');
const data = workerData as QueryApiThreadData;

/** The live view as a running gateway leaves it: the sensor announced with its interval, so raw answers carry gaps. */
function announcedSensor(): LiveStore {
  const live = new LiveStore();
  const { station, gateway, sensor, quantity, unit } = YEAR_SERIES;
  live.applyStatus(
    { station, gateway },
    { v: 1, state: 'online', sensors: [{ sensor, quantity, unit, intervalMs: YEAR_INTERVAL_MS }] },
  );
  return live;
}

const app = buildApp({
  queries: new InfluxQueryClient({ url: data.influxUrl }, data.database),
  live: announcedSensor(),
  logger: pino({ level: 'silent' }),
  keys: new FileKeyStore(data.keysFile),
});

app.listen({ host: '127.0.0.1', port: 0 }).then(
  () => {
    const event: QueryApiEvent = { type: 'listening', port: (app.server.address() as AddressInfo).port };
    port.postMessage(event);
  },
  (error: unknown) => {
    const event: QueryApiEvent = {
      type: 'failed',
      message: error instanceof Error ? error.message : String(error),
    };
    port.postMessage(event);
  },
);

// The bench ends the thread with worker.terminate() once its rounds are done; nothing here needs flushing.
