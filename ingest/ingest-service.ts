import type { Logger } from 'pino';
import { connectInflux, type InfluxConnection } from '../influx/index.js';
import { AlertEngine } from './alerts/alert-engine.js';
import { loadLastAlertEvents } from './alerts/alert-history.js';
import { AlertPublisher } from './alerts/alert-publisher.js';
import type { AlertRule } from './alerts/alert-rule.js';
import type { RuleState } from './alerts/evaluate-rule.js';
import { loadAlertRules } from './alerts/load-rules.js';
import { seedRuleStates } from './alerts/seed-rule-states.js';
import type { IngestConfig } from './config.js';
import { type ConsumerHealth, MessageConsumer } from './consumer/message-consumer.js';
import { emptyCounters, type IngestCounters, MessageIngestor } from './pipeline/ingest-message.js';
import { type SequenceSnapshot, SequenceTracker } from './sequence/sequence-tracker.js';

export interface IngestServiceOptions {
  config: IngestConfig;
  logger: Logger;
  /** An InfluxDB connection made by the caller (`up`, tests); the service then leaves closing it to them. */
  influx?: InfluxConnection;
}

export interface IngestStats extends IngestCounters {
  sequences: SequenceSnapshot[];
  /** Times the consumer's watchdog found it stalled on a message and restarted it. */
  consumerStalls: number;
}

interface Running {
  influx: InfluxConnection;
  ownsInflux: boolean;
  stopping: AbortController;
  consumer: MessageConsumer;
  ingestor: MessageIngestor;
  publisher: AlertPublisher;
}

const ALERT_DRAIN_TIMEOUT_MS = 5000;

/**
 * MQTT readings and gateway health into InfluxDB, with quarantine (of status too), sequence tracking
 * and threshold alerts.
 */
export class IngestService {
  private readonly logger: Logger;
  private readonly sequences = new SequenceTracker();
  private running: Running | undefined;
  private lastCounters: IngestCounters | undefined;
  private lastStalls = 0;
  private statsTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: IngestServiceOptions) {
    this.logger = options.logger.child({ component: 'ingest' });
  }

  async start(): Promise<void> {
    const { config } = this.options;
    const rules: readonly AlertRule[] = config.alertsFile ? await loadAlertRules(config.alertsFile) : [];
    const influx = this.options.influx ?? (await connectInflux(config.influx));
    const ownsInflux = this.options.influx === undefined;
    let engine: AlertEngine;
    try {
      engine = new AlertEngine(rules, await this.restoreAlertStates(rules, influx));
    } catch (error) {
      if (ownsInflux) await influx.writer.close();
      throw error;
    }
    const stopping = new AbortController();
    const consumer: MessageConsumer = new MessageConsumer({
      config: config.mqtt,
      logger: this.logger,
      handle: (message): Promise<void> => ingestor.ingest(message),
      ...(config.stallTimeoutMs === undefined ? {} : { stallTimeoutMs: config.stallTimeoutMs }),
    });
    const common = {
      writer: influx.writer,
      logger: this.logger,
      retry: config.writeRetry,
      signal: stopping.signal,
    };
    const publisher: AlertPublisher = new AlertPublisher({
      ...common,
      publish: (...message): Promise<void> => consumer.publish(...message),
    });
    const ingestor: MessageIngestor = new MessageIngestor({
      ...common,
      sequences: this.sequences,
      alerts: { engine, publisher },
      onProgress: () => consumer.progress(),
    });
    this.running = { influx, ownsInflux, stopping, consumer, ingestor, publisher };
    try {
      await consumer.start();
    } catch (error) {
      this.running = undefined;
      if (ownsInflux) await influx.writer.close();
      throw error;
    }
    this.announceStarted(rules.length);
  }

  private announceStarted(rules: number): void {
    const { config } = this.options;
    if (config.statsLogIntervalMs > 0) {
      this.statsTimer = setInterval(
        () => this.logger.info(this.stats(), 'ingest stats'),
        config.statsLogIntervalMs,
      );
      this.statsTimer.unref();
    }
    const { url: mqtt, clientId } = config.mqtt;
    this.logger.info({ mqtt, clientId, influx: config.influx.url, rules }, 'ingest started');
  }

  /**
   * Rule states as the previous run left them, read from `alert_event` before any reading is
   * consumed: without them a rule firing at the restart would never send its `clear`, and its
   * retained `firing` message would stay on the broker for good.
   */
  private async restoreAlertStates(
    rules: readonly AlertRule[],
    influx: InfluxConnection,
  ): Promise<ReadonlyMap<AlertRule, RuleState>> {
    if (rules.length === 0) return new Map();
    const { states, orphaned } = seedRuleStates(rules, await loadLastAlertEvents(influx.queries));
    for (const event of orphaned) {
      this.logger.warn(
        { station: event.station, rule: event.rule, sensor: event.sensor, since: event.time },
        'a retained firing alert belongs to no configured rule any more; nothing will clear it',
      );
    }
    if (states.size > 0) {
      this.logger.info(
        { rules: [...states.keys()].map((rule) => rule.id) },
        'alerts still firing from before',
      );
    }
    return states;
  }

  /**
   * Finishes the message in hand (a write in flight completes and is acknowledged; retries stop and
   * leave it unacknowledged for redelivery), sends pending alert events, disconnects, closes the writer.
   */
  async stop(): Promise<void> {
    const running = this.running;
    if (running === undefined) return;
    this.running = undefined;
    clearInterval(this.statsTimer);
    running.stopping.abort();
    await running.consumer.settle();
    // Alert events wait for the broker's PUBACK, which cannot come while the broker is away or while
    // the consumer holds a message unacknowledged; what is still pending then is reported, not hidden.
    const drained = running.consumer.connected && (await running.publisher.drain(ALERT_DRAIN_TIMEOUT_MS));
    if (!drained && running.publisher.pending > 0) {
      this.logger.warn(
        { pending: running.publisher.pending },
        'alert events not confirmed by the broker at stop',
      );
    }
    await running.consumer.stop();
    if (running.ownsInflux) await running.influx.writer.close();
    this.lastCounters = running.ingestor.counters;
    this.lastStalls = running.consumer.stalls;
    this.logger.info(this.stats(), 'ingest stopped');
  }

  stats(): IngestStats {
    const base = this.running?.ingestor.counters ?? this.lastCounters ?? emptyCounters();
    return {
      ...base,
      quarantined: { ...base.quarantined },
      sequences: this.sequences.snapshots(),
      consumerStalls: this.running?.consumer.stalls ?? this.lastStalls,
    };
  }

  /** For /healthz: whether messages are flowing from the broker (connected, not stalled). */
  health(): ConsumerHealth {
    return this.running?.consumer.health() ?? { ok: false, reason: 'the ingest is not running' };
  }
}
