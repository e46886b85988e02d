import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { QueryApiEvent, QueryApiThreadData } from './query-api-thread.js';

export interface RunningApi {
  url: string;
  stop: () => Promise<void>;
}

/** Starts the API on its own thread over the given InfluxDB database; resolves once it listens. */
export async function startQueryApi(data: QueryApiThreadData): Promise<RunningApi> {
  const worker = new Worker(fileURLToPath(new URL('./query-api-thread.js', import.meta.url)), {
    workerData: data,
  });
  const stop = async () => {
    await worker.terminate();
  };
  const [event] = (await Promise.race([once(worker, 'message'), once(worker, 'error')])) as [
    QueryApiEvent | Error,
  ];
  if (event instanceof Error || event.type === 'failed') {
    await stop();
    throw new Error(`the API thread did not start: ${event.message}`);
  }
  return { url: `http://127.0.0.1:${event.port}`, stop };
}
