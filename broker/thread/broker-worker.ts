/**
 * The broker's thread in `fieldstation up`: a BrokerServer on an event loop of its own, driven by
 * BrokerThread through the messages in thread-messages.ts.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { BrokerServer } from '../broker-server.js';
import {
  type BrokerWorkerData,
  type FromBrokerWorker,
  type ToBrokerWorker,
  toThreadError,
} from './thread-messages.js';

function parent(): MessagePort {
  if (parentPort === null) throw new Error('broker-worker runs only as a worker thread (see BrokerThread)');
  return parentPort;
}

const port = parent();
const data = workerData as BrokerWorkerData;
const post = (message: FromBrokerWorker) => port.postMessage(message);

const logger = pino(
  { level: data.log.level, base: { pid: process.pid, ...data.log.bindings } },
  { write: (line: string) => post({ type: 'log', line }) },
);
const broker = new BrokerServer({ config: data.config, logger });

async function start(): Promise<void> {
  try {
    const address = await broker.start();
    post({ type: 'started', address });
  } catch (error) {
    post({ type: 'start-failed', error: toThreadError(error) });
    port.close();
  }
}

async function reload(id: number): Promise<void> {
  try {
    await broker.reloadCredentials();
    post({ type: 'reloaded', id });
  } catch (error) {
    post({ type: 'reload-failed', id, error: toThreadError(error) });
  }
}

async function stop(): Promise<void> {
  try {
    await broker.stop();
  } catch (error) {
    logger.error({ err: error }, 'broker stop failed');
  }
  post({ type: 'stopped' });
  port.close();
}

const started = start();
port.on('message', (message: ToBrokerWorker) => {
  switch (message.type) {
    case 'reload':
      void reload(message.id);
      return;
    case 'collect':
      post({ type: 'families', id: message.id, families: broker.operations.collect() });
      return;
    case 'stop':
      // A stop during the start waits for it, so the listeners it opened are closed too.
      void started.then(stop);
      return;
  }
});
