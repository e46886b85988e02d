/**
 * A Node broker under test, in a process of its own like mosquitto: `ours` is the BrokerServer with
 * its accounts, rights and hooks; `aedes` is Aedes with no hooks at all. It reports its port to the
 * parent over IPC and stops when told to or when the parent goes away.
 */
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { Aedes } from 'aedes';
import { pino } from 'pino';
import { BrokerServer } from '../../broker/index.js';
import type { BrokerProcessMessage, BrokerProcessRequest } from './broker-process-messages.js';

const UNLIMITED_RATE = { perSecond: 1_000_000_000, burst: 1_000_000_000 };

function send(message: BrokerProcessMessage): void {
  process.send?.(message);
}

async function startOurs(request: Extract<BrokerProcessRequest, { kind: 'ours' }>) {
  const logger = pino({ name: 'bench-broker', level: request.logLevel }, pino.destination(2));
  const broker = new BrokerServer({
    config: {
      host: '127.0.0.1',
      port: 0,
      credentialsFile: request.credentialsFile,
      // Every limit stays in the path; only the per-client message rate is raised above what a
      // publisher here offers, or the benchmark would measure the limiter's refusals.
      limits: { messageRate: UNLIMITED_RATE },
    },
    logger,
  });
  const { port } = await broker.start();
  return { port, stop: () => broker.stop() };
}

async function startPlainAedes() {
  const aedes = new Aedes();
  await aedes.listen();
  const server = createServer(aedes.handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    port,
    stop: async () => {
      server.close();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    },
  };
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '{}') as BrokerProcessRequest;
  const broker = request.kind === 'ours' ? await startOurs(request) : await startPlainAedes();
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    broker.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('message', (message: BrokerProcessMessage) => {
    if (message.type === 'stop') stop();
  });
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  send({ type: 'listening', port: broker.port });
}

main().catch((error: unknown) => {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
