/**
 * The load process: the gateway clients run here, apart from the broker and the ingest, as they run
 * on machines of their own in a station, so generating load takes neither event-loop time nor memory
 * from the process being measured. Started by LoadProcess with its LoadWorkerData as argument.
 */
import { BenchGateway } from './bench-gateway.js';
import { type LoadShape, runLatency, runThroughput } from './load-phases.js';
import type { LoadCommand, LoadEvent, LoadWorkerData } from './worker-messages.js';

const PROGRESS_INTERVAL_MS = 200;

const send = process.send?.bind(process);
if (send === undefined) throw new Error('load-worker.js runs only as a child process of the bench');
const data = JSON.parse(process.argv[2] ?? '') as LoadWorkerData;
const shape: LoadShape = { batch: data.batch, window: data.window, originMs: data.originMs };

function post(event: LoadEvent): void {
  send?.(event);
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
  process.disconnect();
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

process.on('message', (command: LoadCommand) => {
  dispatch(command).catch(fail);
});

Promise.all(gateways.map((gateway) => gateway.connect())).then(() => post({ type: 'ready' }), fail);
