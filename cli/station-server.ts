import { join } from 'node:path';
import type { Logger } from 'pino';
import { ApiConfigSchema, ApiServer, FileKeyStore, type IssuedKey, keyState } from '../api/index.js';
import {
  type BrokerAddress,
  type BrokerConfigInput,
  BrokerThread,
  provisionAccount,
} from '../broker/index.js';
import { type Simulation, simulatorConfigs, startSimulation } from '../firmware-bridge/index.js';
import {
  connectInflux,
  INFLUXD_INSTALL_HINT,
  type InfluxConfig,
  type InfluxConnection,
  InfluxdSupervisor,
  LocalInfluxd,
  type RestartPolicyInput,
} from '../influx/index.js';
import { type IngestConfigInput, IngestConfigSchema, IngestService } from '../ingest/index.js';
import type { MetricSource } from '../metrics/index.js';
import { NotifyConfigSchema, NotifyService } from '../notify/index.js';
import { awaitHistoryStored } from './history-progress.js';
import { ingestHealthCheck } from './ingest-health-check.js';
import { influxdMetricsSource, ingestMetricsSource, notifyMetricsSource } from './metrics-sources.js';
import { bundledConfig } from './package-root.js';
import { FileSubscriptionsStore } from './subscriptions-store.js';

export interface StationServerOptions {
  dataDir: string;
  credentialsFile: string;
  /** The HTTP API's keys; DATA_DIR/api/keys.json by default. */
  apiKeysFile?: string;
  /**
   * The broker's store (the journal under DATA_DIR/broker/journal when absent), its TLS and WebSocket
   * listeners and its limits.
   */
  broker?: Pick<BrokerConfigInput, 'persistence' | 'tls' | 'websocket' | 'limits'>;
  mqtt: { host: string; port: number };
  /** trustedProxies: see ApiConfig. */
  http: { host: string; port: number; trustedProxies?: readonly string[] };
  /** Without it a private influxd runs under DATA_DIR/influxdb for as long as the server does. */
  influx?: InfluxConfig;
  /** The private influxd's binary and how it is restarted after an unexpected exit. */
  privateInfluxd?: { binary?: string; restart?: RestartPolicyInput };
  alertsFile?: string;
  /** Who is notified of alerts (docs/notifications.md); without it the notifier does not run. */
  subscribersFile?: string;
  /**
   * The ingest's spool, drain and reading limits (IngestConfigSchema's `spool`, `drain`, `limits`),
   * from `up`'s options; the spool's fsync policy as typed, for the schema to check.
   */
  ingest?: Pick<IngestConfigInput, 'drain' | 'limits'> & { spool?: { maxBytes?: number; fsync?: string } };
  /**
   * Simulated gateways of both stations, for demos; `intervalScale` < 1 samples faster.
   * `backfillDays` of their past readings are delivered before the live ones (default none), once
   * per data dir; `start()` resolves when InfluxDB holds them.
   */
  simulate?: { intervalScale?: number; configFiles?: readonly string[]; backfillDays?: number };
  logger: Logger;
}

export interface StationAddresses {
  mqtt: BrokerAddress;
  http: { port: number };
  influxUrl: string;
  apiKeys: {
    file: string;
    /** Keys neither revoked nor expired; none means nobody can use the API yet. */
    usable: number;
    /** With `simulate`: the reader key `demo-reader`, made afresh at each start. */
    demoReader?: IssuedKey;
  };
}

/** The name of the reader key a demo makes at each start, replacing the previous one. */
export const DEMO_READER_KEY_NAME = 'demo-reader';

/**
 * `fieldstation up`: broker, ingest (with alerts) and API in one process, optionally with simulated
 * gateways. The broker runs on a worker thread of its own, so it and the ingest each have an event
 * loop (and a core) while a kill of the process still ends both. The parts still talk only through
 * MQTT and InfluxDB, exactly as when they run apart; services log in with accounts whose secrets are
 * issued afresh at each start and never written down.
 */
export class StationServer {
  /**
   * Resolves when a part has failed beyond repair: the private influxd could not be restarted, or the
   * broker's thread ended.
   */
  readonly failed: Promise<Error>;
  private reportFailure: (error: Error) => void = () => {};
  private readonly stack: { name: string; stop: () => Promise<void> }[] = [];
  /** What the API's /metrics reports besides its own: the private influxd's restarts, broker, ingest. */
  private readonly metrics: MetricSource[] = [];

  constructor(private readonly options: StationServerOptions) {
    this.failed = new Promise((resolve) => {
      this.reportFailure = resolve;
    });
  }

  async start(): Promise<StationAddresses> {
    try {
      return await this.startParts();
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  private async startParts(): Promise<StationAddresses> {
    const { options } = this;
    const influxConfig = options.influx ?? (await this.startPrivateInflux());
    const influx = await connectInflux(influxConfig);
    this.push('influx client', () => influx.writer.close());

    const file = options.credentialsFile;
    const ingestAccount = await provisionAccount(file, { kind: 'service', name: 'ingest' });
    const apiAccount = await provisionAccount(file, { kind: 'service', name: 'api' });
    const broker = new BrokerThread({
      config: {
        host: options.mqtt.host,
        port: options.mqtt.port,
        credentialsFile: file,
        ...options.broker,
        persistence: options.broker?.persistence ?? {
          type: 'journal',
          dir: join(options.dataDir, 'broker', 'journal'),
        },
      },
      logger: options.logger,
    });
    this.push('broker', () => broker.stop());
    const mqtt = await broker.start();
    void broker.failed.then(this.reportFailure);
    this.metrics.push(broker);
    const mqttUrl = `mqtt://127.0.0.1:${mqtt.port}`;

    const ingest = await this.startIngest(influx, influxConfig, { url: mqttUrl, ...ingestAccount });
    this.metrics.push(ingestMetricsSource(ingest));
    await this.startNotify(file, mqttUrl, broker);
    const keysFile = options.apiKeysFile ?? join(options.dataDir, 'api', 'keys.json');
    const keys = new FileKeyStore(keysFile);
    // Its secret cannot be read back from the file, so a demo that is to print it makes a new one.
    const demoReader = options.simulate
      ? await keys.replaceNamed({
          name: DEMO_READER_KEY_NAME,
          role: 'reader',
          stations: null,
          expiresAt: null,
        })
      : undefined;
    const api = new ApiServer({
      config: ApiConfigSchema.parse({
        ...options.http,
        influx: influxConfig,
        mqtt: { url: mqttUrl, ...apiAccount },
        keysFile,
      }),
      logger: options.logger,
      queries: influx.queries,
      keys,
      metrics: [...this.metrics],
      healthChecks: [ingestHealthCheck(ingest)],
      ...(options.subscribersFile === undefined
        ? {}
        : { subscriptions: new FileSubscriptionsStore(options.subscribersFile) }),
    });
    const http = await api.start();
    this.push('api', () => api.stop());

    if (options.simulate) await this.startSimulation(mqttUrl, broker, ingest);
    const nowMs = Date.now();
    const usable = (await keys.list()).filter((key) => keyState(key, nowMs) === 'active').length;
    return {
      mqtt,
      http,
      influxUrl: influxConfig.url,
      apiKeys: { file: keysFile, usable, ...(demoReader === undefined ? {} : { demoReader }) },
    };
  }

  private async startPrivateInflux(): Promise<InfluxConfig> {
    const { dataDir, logger, privateInfluxd } = this.options;
    const influxd = new InfluxdSupervisor({
      server: (onUnexpectedExit) =>
        new LocalInfluxd({
          dir: join(dataDir, 'influxdb'),
          logger,
          binary: privateInfluxd?.binary,
          onUnexpectedExit,
        }),
      policy: privateInfluxd?.restart,
      logger,
    });
    this.push('private influxd', () => influxd.stop());
    void influxd.failed.then(this.reportFailure);
    const url = await influxd.start().catch((error: Error) => {
      throw new Error(
        `no InfluxDB URL is set (FS_INFLUX_URL), so a private influxd was to be started, but: ${error.message}` +
          (error.message.includes(INFLUXD_INSTALL_HINT)
            ? ''
            : `\nIs influxd installed? ${INFLUXD_INSTALL_HINT}`),
        { cause: error },
      );
    });
    this.metrics.push(influxdMetricsSource(influxd));
    return { dialect: 'v1', url, database: 'fieldstation' };
  }

  private async startIngest(
    influx: InfluxConnection,
    influxConfig: InfluxConfig,
    mqtt: { url: string; username: string; password: string },
  ): Promise<IngestService> {
    const ingest = new IngestService({
      config: IngestConfigSchema.parse({
        mqtt,
        influx: influxConfig,
        alertsFile: this.options.alertsFile,
        dataDir: this.options.dataDir,
        ...this.options.ingest,
      }),
      logger: this.options.logger,
      influx,
    });
    await ingest.start();
    this.push('ingest', () => ingest.stop());
    return ingest;
  }

  /** The notifier, when a subscribers file is given; its metrics join the API's /metrics. */
  private async startNotify(credentialsFile: string, mqttUrl: string, broker: BrokerThread): Promise<void> {
    const { subscribersFile, logger, dataDir } = this.options;
    if (subscribersFile === undefined) {
      logger.info(
        'alert notifications are off: give a subscribers file with --subscribers or FS_SUBSCRIBERS_FILE (see docs/notifications.md)',
      );
      return;
    }
    const account = await provisionAccount(credentialsFile, { kind: 'service', name: 'notify' });
    await broker.reloadCredentials();
    const notify = new NotifyService({
      config: NotifyConfigSchema.parse({ mqtt: { url: mqttUrl, ...account }, subscribersFile, dataDir }),
      logger,
    });
    await notify.start();
    this.push('notify', () => notify.stop());
    this.metrics.push(notifyMetricsSource(notify));
  }

  private async startSimulation(mqttUrl: string, broker: BrokerThread, ingest: IngestService): Promise<void> {
    const { options } = this;
    const credentials = async (station: string, gateway: string) => {
      const issued = await provisionAccount(options.credentialsFile, { kind: 'gateway', station, gateway });
      await broker.reloadCredentials();
      return issued;
    };
    const simulation: Simulation = await startSimulation({
      mqttUrl,
      dataDir: join(options.dataDir, 'simulated-gateways'),
      credentials,
      logger: options.logger,
      intervalScale: options.simulate?.intervalScale,
      configFiles: options.simulate?.configFiles ?? (await simulatorConfigs(bundledConfig('simulate'))),
      history: { days: options.simulate?.backfillDays ?? 0 },
    });
    this.push('simulated gateways', () => simulation.stop());
    const loaded = await awaitHistoryStored({
      simulated: simulation.simulated,
      ingest,
      logger: options.logger,
    });
    if (loaded !== undefined) {
      options.logger.info(
        loaded,
        `history loaded: ${Number(loaded.days.toFixed(2))} days, ${loaded.readings} readings in ${loaded.messages} messages, stored in ${loaded.seconds} s`,
      );
    }
  }

  private push(name: string, stop: () => Promise<void>): void {
    this.stack.push({ name, stop });
  }

  /** Stops in reverse order of start: gateways flush first, the database goes last. */
  async stop(): Promise<void> {
    while (this.stack.length > 0) {
      const part = this.stack.pop();
      if (part === undefined) break;
      try {
        await part.stop();
      } catch (error) {
        this.options.logger.error({ part: part.name, err: error }, 'stop failed');
      }
    }
  }
}
