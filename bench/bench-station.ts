import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { BrokerThread, type PersistenceConfigInput } from '../broker/index.js';
import {
  connectInflux,
  type InfluxConnection,
  InfluxQueryClient,
  type InfluxV1Config,
  LocalInfluxd,
  quoteIdentifier,
} from '../influx/index.js';
import { IngestConfigSchema, IngestService } from '../ingest/index.js';
import { BENCH_STATION } from './batches.js';
import type { BrokerStore } from './options.js';
import { provisionAccounts } from './provision-accounts.js';
import { TimedWriter } from './timed-writer.js';

/** A part that does not stop in this time is left behind so the rest can still be stopped. */
const STOP_TIMEOUT_MS = 15_000;

function withTimeout(work: Promise<void>, ms: number, message: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/** Each store under `dir` as `fieldstation up` places it under DATA_DIR/broker. */
function benchPersistence(store: BrokerStore, dir: string): PersistenceConfigInput {
  switch (store) {
    case 'disk':
      return { type: 'disk', dir: join(dir, 'store') };
    case 'journal':
      return { type: 'journal', dir: join(dir, 'journal') };
    case 'memory':
      return { type: 'memory' };
  }
}

export interface BenchStationOptions {
  /** Temporary directory for the credentials file and the private influxd. */
  dir: string;
  gateways: readonly string[];
  /** An InfluxDB 1.x to use instead of a private influxd; the run gets its own database there. */
  influxUrl?: string;
  brokerStore: BrokerStore;
  logger: Logger;
}

export interface GatewayAccount {
  gateway: string;
  username: string;
  password: string;
}

export interface BenchStation {
  mqttUrl: string;
  influx: InfluxConnection;
  influxConfig: InfluxV1Config;
  ingest: IngestService;
  /** The writer the ingest writes through, timing each write. */
  ingestWrites: TimedWriter;
  /** The broker's thread, for how busy its event loop is. */
  broker: BrokerThread;
  /** The private influxd's process id, for CPU accounting; undefined for a given InfluxDB. */
  influxdPid: number | undefined;
  accounts: GatewayAccount[];
}

/**
 * The system under test, wired as `fieldstation up` wires it (broker on a worker thread, ingest on the
 * main thread, InfluxDB; the HTTP API is not on the readings path and is left out), with the ingest
 * kept at hand for its stats().
 */
export class BenchStationRunner {
  private readonly stack: { name: string; stop: () => Promise<void> }[] = [];

  constructor(private readonly options: BenchStationOptions) {}

  async start(): Promise<BenchStation> {
    const { options } = this;
    const { influxConfig, influxdPid } = await this.startInflux();
    const influx = await connectInflux(influxConfig);
    this.stack.push({ name: 'influx client', stop: () => influx.writer.close() });

    const file = join(options.dir, 'broker', 'accounts.json');
    const [ingestAccount, ...issued] = await provisionAccounts(file, [
      { kind: 'service', name: 'ingest' },
      ...options.gateways.map((gateway) => ({ kind: 'gateway', station: BENCH_STATION, gateway }) as const),
    ]);
    if (ingestAccount === undefined) throw new Error('no ingest account was provisioned');
    const accounts: GatewayAccount[] = options.gateways.map((gateway, index) => {
      const credentials = issued[index];
      if (credentials === undefined) throw new Error(`no account was provisioned for ${gateway}`);
      return { gateway, ...credentials };
    });
    const broker = new BrokerThread({
      // As `fieldstation up` runs it (sessions and queues on disk), except the per-client message
      // rate limit, which would cut a throughput measurement short.
      config: {
        host: '127.0.0.1',
        port: 0,
        credentialsFile: file,
        persistence: benchPersistence(options.brokerStore, join(options.dir, 'broker')),
        limits: { messageRate: { perSecond: 1e9, burst: 1e9 } },
      },
      logger: options.logger,
    });
    const address = await broker.start();
    this.stack.push({ name: 'broker', stop: () => broker.stop() });
    const mqttUrl = `mqtt://127.0.0.1:${address.port}`;

    const ingestWrites = new TimedWriter(influx.writer);
    const ingest = new IngestService({
      config: IngestConfigSchema.parse({
        mqtt: { url: mqttUrl, ...ingestAccount },
        influx: influxConfig,
        dataDir: options.dir,
      }),
      logger: options.logger,
      influx: { ...influx, writer: ingestWrites },
    });
    await ingest.start();
    this.stack.push({ name: 'ingest', stop: () => ingest.stop() });
    return { mqttUrl, influx, influxConfig, ingest, ingestWrites, broker, influxdPid, accounts };
  }

  private async startInflux(): Promise<{ influxConfig: InfluxV1Config; influxdPid: number | undefined }> {
    const { options } = this;
    if (options.influxUrl !== undefined) {
      const database = `bench_${randomBytes(4).toString('hex')}`;
      const influxConfig: InfluxV1Config = { dialect: 'v1', url: options.influxUrl, database };
      this.stack.push({ name: 'bench database', stop: () => dropDatabase(influxConfig) });
      return { influxConfig, influxdPid: undefined };
    }
    const influxd = new LocalInfluxd({ dir: join(options.dir, 'influxdb'), logger: options.logger });
    this.stack.push({ name: 'private influxd', stop: () => influxd.stop() });
    const url = await influxd.start();
    return { influxConfig: { dialect: 'v1', url, database: 'fieldstation' }, influxdPid: influxd.pid };
  }

  /** Stops in reverse order of start: the ingest acknowledges its last write, the database goes last. */
  async stop(): Promise<void> {
    while (this.stack.length > 0) {
      const part = this.stack.pop();
      if (part === undefined) break;
      this.options.logger.debug({ part: part.name }, 'stopping');
      try {
        await withTimeout(
          part.stop(),
          STOP_TIMEOUT_MS,
          `${part.name} did not stop within ${STOP_TIMEOUT_MS} ms`,
        );
      } catch (error) {
        this.options.logger.error({ part: part.name, err: error }, 'stop failed');
      }
    }
  }
}

/** Drops a database this run created on a given InfluxDB. */
export async function dropDatabase(config: InfluxV1Config): Promise<void> {
  await new InfluxQueryClient({ url: config.url }, config.database).execute(
    `DROP DATABASE ${quoteIdentifier(config.database)}`,
  );
}
