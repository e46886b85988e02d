/**
 * The load thread: the gateway clients run here, apart from the broker and the ingest on the main
 * thread, so generating load does not take event-loop time from the system being measured.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BenchGateway } from './bench-gateway.js';
import { type LoadShape, runLatency, runThroughput } from './load-phases.js';
import type { LoadCommand, LoadEvent, LoadWorkerData } from './worker-messages.js';

const PROGRESS_INTERVAL_MS = 200;

const port = parentPort;
if (port === null) throw new Error('load-worker.js runs only as a worker thread');
const data = workerData as LoadWorkerData;
const shape: LoadShape = { batch: data.batch, window: data.window, originMs: data.originMs };

function post(event: LoadEvent): void {
  port?.postMessage(event);
}

function fail(error: unknown): void {
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}

const gateways = data.gateways.map(
  (account) => new BenchGateway({ mqttUrl: data.mqttUrl, ...account, onLost: fail }),
);

async function throughput(command: Extract<LoadCommand, { type: 'throughput' }>): Promise<void> {
  const progress = { acked: 0 };
  const timer = setInterval(
    () => post({ type: 'progress', at: performance.timeOrigin + performance.now(), acked: progress.acked }),
    PROGRESS_INTERVAL_MS,
  );
  try {
    post({ type: 'throughput-done', result: await runThroughput(gateways, shape, command.limit, progress) });
  } finally {
    clearInterval(timer);
  }
}

async function latency(command: Extract<LoadCommand, { type: 'latency' }>): Promise<void> {
  const result = await runLatency(gateways, shape, command, (gateway, time) =>
    post({ type: 'sent', gateway, time }),
  );
  post({ type: 'latency-done', result });
}

async function close(): Promise<void> {
  await Promise.all(gateways.map((gateway) => gateway.close()));
  post({ type: 'closed' });
  port?.close();
}

function dispatch(command: LoadCommand): Promise<void> {
  switch (command.type) {
    case 'throughput':
      return throughput(command);
    case 'latency':
      return latency(command);
    case 'close':
      return close();
  }
}

port.on('message', (command: LoadCommand) => {
  dispatch(command).catch(fail);
});

Promise.all(gateways.map((gateway) => gateway.connect())).then(() => post({ type: 'ready' }), fail);
