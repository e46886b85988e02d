import type { Aedes } from 'aedes';
import type { Logger } from 'pino';
import { type MetricFamily, type MetricSource, renderExposition } from '../../metrics/index.js';
import type { BrokerStats } from '../broker-stats.js';
import type { BrokerConfig } from '../config.js';
import { type BrokerSnapshot, brokerMetricFamilies, RATE_WINDOW_SECONDS } from './broker-families.js';
import { type BrokerHealth, brokerHealth, type ListenerState } from './health.js';
import { type HttpAddress, OperationsHttpServer } from './operations-http.js';
import { RateWindow } from './rate-window.js';
import { countRetained, type RetainedStore, retainedStoreOf } from './retained-count.js';
import { sysStatsPayload, sysStatsTopic } from './sys-stats.js';

const SAMPLE_INTERVAL_MS = 1000;
const RETAINED_COUNT_INTERVAL_MS = 10_000;

export interface BrokerOperationsOptions {
  config: Pick<BrokerConfig, 'http' | 'sysStatsIntervalMs'>;
  stats: () => BrokerStats;
  /** Every listener of the broker, for /healthz. */
  listeners: () => ListenerState[];
  logger: Logger;
}

/**
 * What operators see of a running broker: message rates, the retained count, the families for
 * Prometheus, `$SYS/<id>/stats`, and (when configured) /metrics and /healthz over HTTP.
 */
export class BrokerOperations implements MetricSource {
  readonly #options: BrokerOperationsOptions;
  readonly #in = new RateWindow(RATE_WINDOW_SECONDS * 1000);
  readonly #out = new RateWindow(RATE_WINDOW_SECONDS * 1000);
  readonly #timers: NodeJS.Timeout[] = [];
  #aedes: Aedes | undefined;
  #http: OperationsHttpServer | undefined;
  #httpAddress: HttpAddress | undefined;
  #retained: number | undefined;
  #counting = false;
  #startedAtMs = Date.now();

  constructor(options: BrokerOperationsOptions) {
    this.#options = options;
  }

  /** The HTTP endpoint's address once started with `http` configured. */
  get httpAddress(): HttpAddress | undefined {
    return this.#httpAddress;
  }

  /** Starts sampling and publishing for this Aedes (already listening), then the HTTP endpoint if configured. */
  async start(aedes: Aedes): Promise<void> {
    this.#aedes = aedes;
    this.#startedAtMs = Date.now();
    this.#sample();
    this.#every(SAMPLE_INTERVAL_MS, () => this.#sample());
    const store = retainedStoreOf(aedes);
    if (store !== undefined) {
      this.#recountRetained(store);
      this.#every(RETAINED_COUNT_INTERVAL_MS, () => this.#recountRetained(store));
    }
    const { http, sysStatsIntervalMs } = this.#options.config;
    if (sysStatsIntervalMs > 0) this.#every(sysStatsIntervalMs, () => this.#publishSysStats());
    if (http === undefined) return;
    this.#http = new OperationsHttpServer({
      ...http,
      logger: this.#options.logger,
      endpoints: { metrics: () => renderExposition(this.collect()), health: () => this.health() },
    });
    this.#httpAddress = await this.#http.start();
    this.#options.logger.info(
      { ...this.#httpAddress },
      'broker operations endpoint listening (/metrics, /healthz)',
    );
  }

  async stop(): Promise<void> {
    for (const timer of this.#timers.splice(0)) clearInterval(timer);
    this.#aedes = undefined;
    const http = this.#http;
    this.#http = undefined;
    this.#httpAddress = undefined;
    await http?.stop();
  }

  snapshot(): BrokerSnapshot {
    const stats = this.#options.stats();
    const now = Date.now();
    return {
      stats,
      rates: {
        messagesInPerSecond: this.#in.perSecond(now, stats.messagesIn),
        messagesOutPerSecond: this.#out.perSecond(now, stats.messagesOut),
      },
      retained: this.#retained,
    };
  }

  collect(): MetricFamily[] {
    return brokerMetricFamilies(this.snapshot());
  }

  health(): BrokerHealth {
    const aedes = this.#aedes;
    const listeners = this.#options.listeners();
    return brokerHealth({
      brokerId: aedes?.id ?? '',
      // A closed Aedes accepts nothing, whatever its sockets say.
      listeners:
        aedes === undefined || aedes.closed ? listeners.map((l) => ({ ...l, listening: false })) : listeners,
      connections: this.#options.stats().connections,
      startedAtMs: this.#startedAtMs,
      nowMs: Date.now(),
    });
  }

  #every(intervalMs: number, task: () => void): void {
    const timer = setInterval(task, intervalMs);
    timer.unref();
    this.#timers.push(timer);
  }

  #sample(): void {
    const stats = this.#options.stats();
    const now = Date.now();
    this.#in.record(now, stats.messagesIn);
    this.#out.record(now, stats.messagesOut);
  }

  #recountRetained(store: RetainedStore): void {
    if (this.#counting) return;
    this.#counting = true;
    void countRetained(store)
      .then(
        (count) => {
          this.#retained = count;
        },
        (error: unknown) => this.#options.logger.warn({ err: error }, 'retained messages not counted'),
      )
      .finally(() => {
        this.#counting = false;
      });
  }

  #publishSysStats(): void {
    const aedes = this.#aedes;
    if (aedes === undefined || aedes.closed) return;
    const payload = Buffer.from(sysStatsPayload(aedes.id, this.snapshot(), Date.now()));
    const packet = {
      cmd: 'publish',
      topic: sysStatsTopic(aedes.id),
      payload,
      qos: 0,
      retain: false,
      dup: false,
    } as const;
    aedes.publish(packet, (error) => {
      if (error) this.#options.logger.warn({ err: error }, '$SYS stats not published');
    });
  }
}
