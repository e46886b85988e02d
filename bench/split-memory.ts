/**
 * `npm run bench:split-memory`: the one-reading load on `fieldstation broker` and `fieldstation ingest`
 * as two processes (the deployment without `up`), for the ingest's own peak RSS, which the pipeline
 * bench cannot separate from the broker's. `npm run bench` runs it too (not with --json);
 * `bench/README.md` explains it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { BROKER_PROCESS_ENV, provisionAccount } from '../broker/index.js';
import { freePort } from '../influx/index.js';
import { BENCH_SENSORS, BENCH_STATION, gatewayId } from './batches.js';
import { parseBenchArgs } from './bench-args.js';
import { runBenchMain } from './bench-main.js';
import { CliChild } from './chaos/cli-child.js';
import { credentialsFile, DATABASE, START_TIMEOUT_MS, startInfluxd } from './chaos/rig-parts.js';
import { LoadProcess } from './load-process.js';
import { BenchUsageError } from './options.js';
import { type ProcessSample, sampleProcess } from './process-sample.js';
import { waitForCount } from './reading-counts.js';

const OptionsSchema = z.object({
  gateways: z.coerce.number().int().min(1).max(1000).default(5),
  readings: z.coerce.number().int().min(1).max(100_000_000).default(100_000),
});

const USAGE = `npm run bench:split-memory -- [--gateways N] [--readings R]

Runs influxd, \`fieldstation broker\` and \`fieldstation ingest\` as processes of their own (both with
BROKER_PROCESS_ENV, as npm start runs up; the broker's message rate limit raised), publishes R one-reading
messages (default 100,000) from N gateways (default 5) as the pipeline bench does, waits until InfluxDB
holds them all and prints each process's peak RSS (VmHWM).`;

const DAY_MS = 86_400_000;
const DRAIN_TIMEOUT_MS = 600_000;

function mib(sample: ProcessSample | undefined): string {
  if (sample === undefined) return 'gone';
  return `peak ${(sample.peakKb / 1024).toFixed(0)} MiB (now ${(sample.residentKb / 1024).toFixed(0)}: anonymous ${(sample.anonymousKb / 1024).toFixed(0)}, files ${(sample.fileKb / 1024).toFixed(0)})`;
}

async function started(child: CliChild, msg: string): Promise<CliChild> {
  await child.waitForLog(msg, START_TIMEOUT_MS);
  return child;
}

async function measure(dir: string, options: z.output<typeof OptionsSchema>): Promise<void> {
  const { server, influx } = await startInfluxd(dir);
  const children: CliChild[] = [];
  try {
    const accounts = [];
    for (let index = 0; index < options.gateways; index++) {
      const gateway = gatewayId(index);
      const account = { kind: 'gateway', station: BENCH_STATION, gateway } as const;
      accounts.push({ gateway, ...(await provisionAccount(credentialsFile(dir), account)) });
    }
    const ingestAccount = await provisionAccount(credentialsFile(dir), { kind: 'service', name: 'ingest' });
    const port = await freePort();
    // At info, each logs the line that says it has started.
    const common = { ...BROKER_PROCESS_ENV, FS_DATA_DIR: join(dir, 'data'), FS_LOG_LEVEL: 'info' };
    // The per-client message rate limit would measure the limiter, as in the pipeline bench.
    const broker = CliChild.start('broker', ['broker'], {
      ...common,
      FS_MQTT_HOST: '127.0.0.1',
      FS_MQTT_PORT: String(port),
      FS_MAX_MESSAGE_RATE: '1000000000',
      FS_MAX_MESSAGE_BURST: '1000000000',
    });
    children.push(broker);
    await started(broker, 'running; stop with Ctrl-C or SIGTERM');
    const mqttUrl = `mqtt://127.0.0.1:${port}`;
    const ingest = CliChild.start('ingest', ['ingest'], {
      ...common,
      FS_MQTT_URL: mqttUrl,
      FS_MQTT_USERNAME: ingestAccount.username,
      FS_MQTT_PASSWORD: ingestAccount.password,
      FS_INFLUX_URL: server.url,
      FS_INFLUX_DATABASE: DATABASE,
    });
    children.push(ingest);
    await started(ingest, 'ingest started');
    const load = new LoadProcess({
      mqttUrl,
      gateways: accounts,
      batch: 1,
      window: 10,
      originMs: Date.now() - 2 * DAY_MS,
    });
    await load.start();
    try {
      const perGateway = Math.ceil(options.readings / options.gateways);
      const sent = await load.throughput({ kind: 'messages', perGateway }, () => undefined);
      const reached = await waitForCount(
        influx.queries,
        BENCH_SENSORS.load,
        sent.readings,
        200,
        performance.now() + DRAIN_TIMEOUT_MS,
      );
      const seconds = reached === undefined ? undefined : (reached.at - sent.firstPublishAt) / 1000;
      const rate =
        seconds === undefined
          ? 'not all stored in time'
          : `${Math.round(sent.readings / seconds).toLocaleString('en')} readings/s`;
      process.stdout.write(
        `${sent.readings.toLocaleString('en')} readings from ${options.gateways} gateways, one per message: ${rate} (first publish until InfluxDB held them all, polled every 200 ms)\n` +
          `  ingest process: ${mib(ingest.pid === undefined ? undefined : await sampleProcess(ingest.pid))}\n` +
          `  broker process: ${mib(broker.pid === undefined ? undefined : await sampleProcess(broker.pid))}\n`,
      );
    } finally {
      await load.stop();
    }
  } finally {
    for (const child of children.reverse()) await child.terminate();
    await influx.writer.close();
    await server.stop();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let options: z.output<typeof OptionsSchema> | undefined;
  try {
    options = parseBenchArgs(argv, {
      schema: OptionsSchema,
      values: { gateways: 'gateways', readings: 'readings' },
      usageError: (message) => new BenchUsageError(message),
    });
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (options === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const dir = await mkdtemp(join(tmpdir(), 'fs-split-memory-'));
  try {
    await measure(dir, options);
    return 0;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

runBenchMain('bench:split-memory', main);
