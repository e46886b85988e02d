import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { connectInflux, type InfluxConnection } from '../influx/index.js';
import type { MetricSource } from '../metrics/index.js';
import { type ApiApp, buildApp } from './app.js';
import type { ApiConfig } from './config.js';
import { FileKeyStore } from './keys/file-key-store.js';
import type { ApiKeyStore } from './keys/key-store.js';
import type { ActionPublisher } from './live/action-publisher.js';
import { LiveSubscriber } from './live/live-subscriber.js';
import type { LiveView } from './live/live-view.js';
import type { QueryPort } from './ports.js';
import type { SubscriptionsStore } from './routes/alerts/subscriptions-store.js';
import type { HealthCheck } from './routes/health/health-check.js';

export interface ApiServerOptions {
  config: ApiConfig;
  logger: Logger;
  /** A query client to share (as `fieldstation up` does); without it the server connects to config.influx. */
  queries?: QueryPort;
  /** A live view to use instead of subscribing to config.mqtt; its owner starts and stops it. */
  live?: LiveView;
  /** Where acks and silences go when `live` is given; otherwise the server's own MQTT client. */
  publisher?: ActionPublisher;
  sseHeartbeatMs?: number;
  /** Sources `/metrics` reports besides the API's own, e.g. the broker and ingest in `fieldstation up`. */
  metrics?: readonly MetricSource[];
  /** Checks `/healthz` runs besides InfluxDB and MQTT; any failed one makes it answer 503. */
  healthChecks?: readonly HealthCheck[];
  /** The notifier's subscriptions, read and replaced through /v1/alerts/subscriptions. */
  subscriptions?: SubscriptionsStore;
  /** The API keys; the file config.keysFile names when absent. */
  keys?: ApiKeyStore;
  /** How long stop() lets requests in flight finish before it closes their connections; 5 s by default. */
  shutdownGraceMs?: number;
}

/** The API as a service: connects what it was not given, then listens; stop() releases it all. */
export class ApiServer {
  private app: ApiApp | undefined;
  private subscriber: LiveSubscriber | undefined;
  private connection: InfluxConnection | undefined;

  constructor(private readonly options: ApiServerOptions) {}

  async start(): Promise<{ port: number }> {
    const { config, logger } = this.options;
    try {
      const queries = this.options.queries ?? (await this.connectInflux());
      const live = this.options.live ?? (await this.subscribe());
      const publisher = this.options.publisher ?? this.subscriber;
      const app = buildApp({
        queries,
        live,
        keys: this.options.keys ?? new FileKeyStore(config.keysFile),
        trustedProxies: config.trustedProxies,
        ...(publisher === undefined ? {} : { publisher }),
        logger: logger.child({ component: 'api' }),
        ...(this.options.sseHeartbeatMs === undefined ? {} : { sseHeartbeatMs: this.options.sseHeartbeatMs }),
        ...(this.options.metrics === undefined ? {} : { metrics: this.options.metrics }),
        ...(this.options.healthChecks === undefined ? {} : { healthChecks: this.options.healthChecks }),
        ...(this.options.subscriptions === undefined ? {} : { subscriptions: this.options.subscriptions }),
      });
      this.app = app;
      await app.listen({ host: config.host, port: config.port });
      const port = (app.server.address() as AddressInfo).port;
      logger.info({ host: config.host, port }, 'API listening');
      return { port };
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  private async connectInflux(): Promise<QueryPort> {
    this.connection = await connectInflux(this.options.config.influx);
    return this.connection.queries;
  }

  private async subscribe(): Promise<LiveView> {
    const subscriber = new LiveSubscriber({
      mqtt: this.options.config.mqtt,
      logger: this.options.logger.child({ component: 'api-live' }),
    });
    this.subscriber = subscriber;
    await subscriber.start();
    return subscriber.store;
  }

  private async closeApp(app: ApiApp): Promise<void> {
    const closing = app.close();
    // A client that keeps a connection open without a request would otherwise hold shutdown for a minute.
    const deadline = setTimeout(() => app.server.closeAllConnections(), this.options.shutdownGraceMs ?? 5000);
    try {
      await closing;
    } finally {
      clearTimeout(deadline);
    }
  }

  async stop(): Promise<void> {
    const { app, subscriber, connection } = this;
    this.app = undefined;
    this.subscriber = undefined;
    this.connection = undefined;
    if (app) await this.closeApp(app);
    await subscriber?.stop();
    await connection?.writer.close();
  }
}
