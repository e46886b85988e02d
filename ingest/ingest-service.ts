import { join } from 'node:path';
import type { Logger } from 'pino';
import { connectInflux, type InfluxConnection } from '../influx/index.js';
import { AlertEngine } from './alerts/alert-engine.js';
import { loadLastAlertEvents } from './alerts/alert-history.js';
import { AlertPublisher } from './alerts/alert-publisher.js';
import type { AlertRule } from './alerts/alert-rule.js';
import { AlertRuntime } from './alerts/alert-runtime.js';
import { readAlertState } from './alerts/alert-state-file.js';
import type { AlertStateSnapshot } from './alerts/alert-state-snapshot.js';
import { loadAlertRules } from './alerts/load-rules.js';
import { restoreEngine } from './alerts/restore-engine.js';
import type { IngestConfig } from './config.js';
import { type ConsumerHealth, MessageConsumer } from './consumer/message-consumer.js';
import { IngestSpool, type SpoolStats } from './ingest-spool.js';
import { ownsTopic } from './partition.js';
import { emptyCounters, type IngestCounters, MessageIngestor } from './pipeline/ingest-message.js';
import { ReadingLimiter } from './pipeline/reading-limits.js';
import type { SequenceSnapshot } from './sequence/sequence-tracker.js';

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
  /** Messages of gateways outside this ingest's partition, acknowledged untouched. */
  notOurs: number;
  spool: SpoolStats | undefined;
}

/** How much the spool holds that InfluxDB has not confirmed yet, and since when. */
export interface SpoolBacklog {
  bytes: number;
  ageS: number;
  full: boolean;
}

interface Running {
  influx: InfluxConnection;
  ownsInflux: boolean;
  stopping: AbortController;
  consumer: MessageConsumer;
  ingestor: MessageIngestor;
  publisher: AlertPublisher;
  runtime: AlertRuntime;
  store: IngestSpool;
}

const ALERT_DRAIN_TIMEOUT_MS = 5000;

/**
 * MQTT readings and gateway health into InfluxDB through a durable spool, with quarantine (of status
 * too), sequence tracking and threshold alerts. Which step sees a reading when:
 * 1. receipt: decoded and validated; invalid → a quarantine record;
 * 2. the spool: its points (or that record) and its sequence note are appended, then it is acknowledged;
 * 3. sequence tracking and alert evaluation, right after the append (a seq seen before is counted as
 *    a duplicate delivered and not evaluated again);
 * 4. the drainer writes it to InfluxDB in a large batch, and the spool forgets it once stored.
 */
export class IngestService {
  private readonly logger: Logger;
  private running: Running | undefined;
  private last: IngestStats | undefined;
  private notOurs = 0;
  private statsTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: IngestServiceOptions) {
    this.logger = options.logger.child({ component: 'ingest' });
  }

  async start(): Promise<void> {
    const { config } = this.options;
    const rules: readonly AlertRule[] = config.alertsFile ? await loadAlertRules(config.alertsFile) : [];
    const influx = this.options.influx ?? (await connectInflux(config.influx));
    const ownsInflux = this.options.influx === undefined;
    const stopping = new AbortController();
    const dir = join(
      config.dataDir,
      'ingest',
      config.partition.count > 1 ? `partition-${config.partition.index}` : '',
    );
    const stateFile = join(dir, 'alert-state.json');
    let engine: AlertEngine;
    let store: IngestSpool;
    try {
      engine = await this.restoreAlertEngine(rules, influx, stateFile);
      store = await IngestSpool.open({
        dir,
        spool: config.spool,
        drain: config.drain,
        retry: config.writeRetry,
        writer: influx.writer,
        logger: this.logger,
        signal: stopping.signal,
        journalIntervalMs: config.journalIntervalMs,
        onWaiting: () => consumer.progress(),
      });
    } catch (error) {
      if (ownsInflux) await influx.writer.close();
      throw error;
    }
    const consumer: MessageConsumer = new MessageConsumer({
      config: config.mqtt,
      logger: this.logger,
      handle: (message): Promise<void> => {
        runtime.noteMessage();
        if (ownsTopic(message.topic, config.partition)) return ingestor.ingest(message);
        this.notOurs++;
        return Promise.resolve();
      },
      makeDurable: () => store.flush(),
      ...(config.stallTimeoutMs === undefined ? {} : { stallTimeoutMs: config.stallTimeoutMs }),
    });
    const publisher: AlertPublisher = new AlertPublisher({
      writer: influx.writer,
      logger: this.logger,
      retry: config.writeRetry,
      signal: stopping.signal,
      publish: (...message): Promise<void> => consumer.publish(...message),
    });
    const runtime: AlertRuntime = new AlertRuntime({
      engine,
      publisher,
      logger: this.logger,
      stateFile,
      ...(config.alertsFile === undefined ? {} : { rulesFile: config.alertsFile }),
      ...config.alertClock,
      onFired: (count) => {
        ingestor.counters.alertsFired += count;
      },
    });
    const ingestor: MessageIngestor = new MessageIngestor({
      spool: store.appender,
      logger: this.logger,
      sequences: store.sequences,
      alerts: { engine, publisher, runtime },
      limits: new ReadingLimiter(config.limits),
    });
    this.running = { influx, ownsInflux, stopping, consumer, ingestor, publisher, runtime, store };
    store.start();
    try {
      await consumer.start();
      runtime.start();
    } catch (error) {
      this.running = undefined;
      await store.stop();
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
    const partition = `${config.partition.index}/${config.partition.count}`;
    this.logger.info({ mqtt, clientId, influx: config.influx.url, rules, partition }, 'ingest started');
  }

  /**
   * Rule states as the previous run left them (restoreEngine: the snapshot, checked against
   * `alert_event`), read before any message is consumed. A snapshot that cannot be used is a
   * warning: the InfluxDB seed still restores which rules are firing.
   */
  private async restoreAlertEngine(
    rules: readonly AlertRule[],
    influx: InfluxConnection,
    stateFile: string,
  ): Promise<AlertEngine> {
    if (rules.length === 0) return new AlertEngine(rules);
    let snapshot: AlertStateSnapshot | undefined;
    try {
      snapshot = await readAlertState(stateFile);
    } catch (error) {
      this.logger.warn(
        { file: stateFile, err: error },
        'alert state snapshot unusable; seeding from InfluxDB',
      );
    }
    const { engine, restored, seeded, orphaned } = restoreEngine(
      rules,
      snapshot,
      await loadLastAlertEvents(influx.queries),
    );
    for (const event of orphaned) {
      this.logger.warn(
        {
          station: event.station,
          rule: event.rule,
          sensor: event.sensor,
          gateway: event.gateway,
          since: event.time,
        },
        'a retained firing alert belongs to no configured rule any more; nothing will clear it',
      );
    }
    const ids = (list: readonly AlertRule[]) => list.map((rule) => `${rule.station}/${rule.id}`);
    this.logger.info(
      { restored: ids(restored), seeded: ids(seeded), firing: ids(engine.firing()) },
      'alert states restored',
    );
    return engine;
  }

  /**
   * Finishes the message in hand (its append completes and it is acknowledged; an append waiting for
   * room gives up and leaves it for redelivery), sends pending alert events, disconnects, gives the
   * drainer a moment to empty the spool (what is left is written at the next start), closes.
   */
  async stop(): Promise<void> {
    const running = this.running;
    if (running === undefined) return;
    this.running = undefined;
    clearInterval(this.statsTimer);
    running.stopping.abort();
    await running.consumer.settle();
    await running.runtime.stop();
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
    if (!(await running.store.drained(this.options.config.drainOnStopMs))) {
      this.logger.warn(running.store.stats(), 'spool not empty at stop; it is written at the next start');
    }
    await running.store.stop();
    if (running.ownsInflux) await running.influx.writer.close();
    this.last = this.collect(running);
    this.logger.info(this.stats(), 'ingest stopped');
  }

  private collect(running: Running): IngestStats {
    const counters = running.ingestor.counters;
    return {
      ...counters,
      quarantined: { ...counters.quarantined },
      sequences: running.store.sequences.snapshots(),
      consumerStalls: running.consumer.stalls,
      notOurs: this.notOurs,
      spool: running.store.stats(),
    };
  }

  stats(): IngestStats {
    if (this.running !== undefined) return this.collect(this.running);
    return (
      this.last ?? { ...emptyCounters(), sequences: [], consumerStalls: 0, notOurs: 0, spool: undefined }
    );
  }

  /** For /healthz: messages flowing from the broker (connected, not stalled) into a spool with room. */
  health(): ConsumerHealth {
    const running = this.running;
    if (running === undefined) return { ok: false, reason: 'the ingest is not running' };
    if (running.store.stats().full) {
      return {
        ok: false,
        reason: 'the ingest spool is full: nothing is acknowledged until InfluxDB takes the backlog',
      };
    }
    return running.consumer.health();
  }

  /** For /healthz: what InfluxDB has yet to take, so an outage shows how far behind the data is. */
  backlog(): SpoolBacklog | undefined {
    const spool = this.running?.store.stats();
    if (spool === undefined) return undefined;
    return { bytes: spool.pendingBytes, ageS: Math.round(spool.backlogAgeS), full: spool.full };
  }
}
