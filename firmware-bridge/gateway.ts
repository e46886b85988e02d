import { join } from 'node:path';
import type { Logger } from 'pino';
import type { BackoffPolicy } from '../backoff/index.js';
import type { HealthInput, Reading, SensorDescription } from '../protocol/index.js';
import { type Clock, systemClock, type Timer } from './clock.js';
import { readMqttPassword } from './config/load.js';
import type { GatewayConfig } from './config/schema.js';
import { createDrivers, type DriverSink, type SensorDriver } from './drivers/index.js';
import type { GatewayErrorCode, SensorError } from './errors.js';
import { buildHealth, SensorCounters } from './health.js';
import { buildMetaContent, type MetaPublished } from './meta/build-meta.js';
import { readMetaState, writeMetaState } from './meta/meta-state.js';
import { Outbox } from './outbox/outbox.js';
import { ReadingIntake } from './outbox/reading-intake.js';
import { ReadingJournal } from './outbox/reading-journal.js';
import { Publisher } from './publisher.js';
import { SamplePipeline } from './sampling/sample-pipeline.js';
import { SilenceWatch } from './sampling/silence-watch.js';
import { ClockMonitor } from './time/clock-monitor.js';
import type { NtpState } from './time/clock-state.js';

export interface GatewayOptions {
  config: GatewayConfig;
  /** The gateway binds `station` and `gateway` to every line itself: pass a logger without them. */
  logger: Logger;
  /** Replaces the config's MQTT settings, e.g. credentials issued to a simulated gateway. */
  mqtt?: { url?: string; username?: string; password?: string };
  /** Replaces the config's outbox directory. */
  outboxDir?: string;
  /** Multiplies simulated sensors' intervals (0.01: a hundred times faster). */
  intervalScale?: number;
  /** How long stop() waits for the broker to acknowledge what is pending. Default 2000 ms. */
  drainTimeoutMs?: number;
  software?: string;
  /** Back-off between MQTT reconnect attempts (default 1 s doubling to 30 s). */
  reconnect?: BackoffPolicy;
  clock?: Clock;
  /** Replaces the question to the system whether NTP has synchronised the clock (tests). */
  readNtp?: () => Promise<NtpState>;
}

/**
 * One gateway: a reading's route runs through four stages, wired in the constructor: the drivers
 * deliver samples; sampling makes readings of them (calibration, QARTOD tests, the contract check);
 * the outbox writes them to disk as they come, batches them and stores each batch as a message;
 * the publisher sends stored messages in order and removes them on the broker's PUBACK. Health
 * and status go out beside them.
 */
export class Gateway {
  readonly logger: Logger;
  private readonly config: GatewayConfig;
  private readonly clock: Clock;
  private readonly counters: SensorCounters;
  private readonly clockMonitor: ClockMonitor;
  private readonly sampling: SamplePipeline;
  private readonly intake: ReadingIntake;
  private readonly outbox: Outbox;
  private drivers: SensorDriver[] = [];
  private publisher: Publisher | undefined;
  private healthTimer: Timer | undefined;
  private silenceTimer: Timer | undefined;
  private silence: SilenceWatch | undefined;
  private startedAtMs = 0;

  constructor(private readonly options: GatewayOptions) {
    const { config } = options;
    this.config = config;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger.child({ station: config.station, gateway: config.gateway });
    this.counters = new SensorCounters(config.sensors.map((sensor) => sensor.id));
    this.clockMonitor = new ClockMonitor({
      config: config.clock,
      logger: this.logger,
      clock: this.clock,
      readNtp: options.readNtp,
    });
    const outboxDir = options.outboxDir ?? config.outbox.dir;
    // Stage 3, the outbox: journaled as made, batched, stored as messages.
    this.outbox = new Outbox({ dir: outboxDir, maxBytes: config.outbox.maxBytes, logger: this.logger });
    this.intake = new ReadingIntake({
      journal: new ReadingJournal({ dir: join(outboxDir, 'journal') }),
      messages: this.outbox,
      batch: config.batch,
      clock: this.clock,
      stored: (readings) => this.onStored(readings),
      lost: (readings, error) => this.onLost(readings, error),
    });
    // Stage 2, sampling: samples become readings, each checked against the contract once, here.
    this.sampling = new SamplePipeline({
      sensors: config.sensors,
      clockUnsynced: () => this.clockMonitor.current().state === 'unsynced',
      emit: (reading) => this.intake.take(reading),
      reject: (sensor, reason) => this.rejectReading(sensor, reason),
    });
  }

  async start(): Promise<void> {
    this.startedAtMs = this.clock.now();
    // Everything that can refuse the config is read before the first write to disk.
    const password = this.options.mqtt?.password ?? (await readMqttPassword(this.config));
    // Stage 1, the drivers: only the factories of the driver types the config uses are loaded.
    const sink: DriverSink = {
      sample: (sample) => this.sampling.accept(sample),
      error: (error) => this.onError(error),
      timeReference: (reference) => this.clockMonitor.reference(reference),
    };
    this.drivers = await createDrivers(this.config, {
      sink,
      logger: this.logger,
      clock: this.clock,
      intervalScale: this.options.intervalScale,
    });
    await this.outbox.start();
    const recovered = await this.intake.start();
    if (recovered > 0) this.logger.info({ readings: recovered }, 'readings journaled before a crash stored');
    const outboxDir = this.options.outboxDir ?? this.config.outbox.dir;
    const meta = {
      content: buildMetaContent(this.config),
      last: await readMetaState(outboxDir),
      onPublished: (published: MetaPublished) => {
        writeMetaState(outboxDir, published).catch((error: unknown) =>
          this.logger.warn(
            { err: error },
            'meta state not saved; the metadata is published again at the next start',
          ),
        );
      },
    };
    // Stage 4, the publisher: stored messages out in order, each checked once more as read back.
    this.publisher = new Publisher({
      meta,
      station: this.config.station,
      gateway: this.config.gateway,
      url: this.options.mqtt?.url ?? this.config.mqtt.url,
      username: this.options.mqtt?.username ?? this.config.mqtt.username,
      password,
      outbox: this.outbox,
      sensors: this.describeSensors(),
      software: this.options.software,
      reconnect: this.options.reconnect,
      logger: this.logger,
      clock: this.clock,
    });
    this.publisher.start();
    await this.clockMonitor.start();
    await Promise.all(this.drivers.map((driver) => driver.start()));
    this.scheduleHealth();
    this.silence = new SilenceWatch(this.config.sensors, this.clock.now());
    this.scheduleSilenceCheck();
    this.logger.info(
      { sensors: this.config.sensors.length, drivers: this.drivers.length },
      'gateway started',
    );
  }

  /** Stops sampling, stores what was batched, gives the broker a moment to take it, then says offline. */
  async stop(): Promise<void> {
    if (this.healthTimer !== undefined) this.clock.clearTimeout(this.healthTimer);
    this.healthTimer = undefined;
    if (this.silenceTimer !== undefined) this.clock.clearTimeout(this.silenceTimer);
    this.silenceTimer = undefined;
    await Promise.all(this.drivers.map((driver) => driver.stop()));
    this.clockMonitor.stop();
    await this.intake.stop();
    await this.publisher?.drain(this.options.drainTimeoutMs ?? 2000);
    await this.publisher?.stop();
    this.publisher = undefined;
    await this.outbox.stop();
    this.logger.info('gateway stopped');
  }

  health(): HealthInput {
    return buildHealth({
      nowMs: this.clock.now(),
      startedAtMs: this.startedAtMs,
      outbox: this.outbox.stats(),
      published: this.publisher?.published() ?? { messages: 0, readings: 0 },
      sensors: this.counters.snapshot(),
      clock: this.clockMonitor.current(),
    });
  }

  private describeSensors(): SensorDescription[] {
    return this.config.sensors.map(({ id, quantity, unit, intervalMs }) => ({
      sensor: id,
      quantity,
      unit,
      intervalMs,
    }));
  }

  // Never batched: one reading the contract refuses would make the outbox refuse its whole batch.
  private rejectReading(sensor: string, reason: string): void {
    const code: GatewayErrorCode = 'READING_INVALID';
    this.logger.warn({ sensor, code, reason }, 'reading rejected, not stored');
    this.counters.error([sensor], `${code}: reading dropped: ${reason}`);
  }

  private onError(error: SensorError): void {
    this.counters.error(error.sensors, `${error.code}: ${error.message}`);
  }

  // What the drivers delivered, one line each at trace level, once it is on disk: counted outside
  // the process, it survives a kill -9 (the chaos bench's "produced").
  private onStored(readings: readonly Reading[]): void {
    const nowMs = this.clock.now();
    for (const reading of readings) {
      this.logger.trace({ sensor: reading.sensor, time: reading.time }, 'reading delivered');
      this.counters.sample(reading.sensor);
      this.silence?.reading(reading.sensor, nowMs);
    }
  }

  private onLost(readings: readonly Reading[], error: unknown): void {
    this.logger.error({ err: error, readings: readings.length }, 'cannot store readings; readings lost');
    const sensors = [...new Set(readings.map((reading) => reading.sensor))];
    const code: GatewayErrorCode = 'OUTBOX_WRITE_FAILED';
    this.counters.error(sensors, `${code}: readings lost: ${(error as Error).message}`);
  }

  private scheduleSilenceCheck(): void {
    const fastest = Math.min(...this.config.sensors.map((sensor) => sensor.intervalMs));
    const periodMs = Math.min(60_000, Math.max(1000, fastest));
    this.silenceTimer = this.clock.setTimeout(() => {
      for (const { sensor, silentMs, intervalMs } of this.silence?.check(this.clock.now()) ?? []) {
        const code: GatewayErrorCode = 'SENSOR_SILENT';
        const text = `no reading for ${Math.round(silentMs / 1000)} s (expected every ${intervalMs / 1000} s)`;
        this.logger.warn({ sensor, code, silentMs }, text);
        this.counters.error([sensor], `${code}: ${text}`);
      }
      this.scheduleSilenceCheck();
    }, periodMs);
  }

  private scheduleHealth(): void {
    this.healthTimer = this.clock.setTimeout(() => {
      try {
        this.publisher?.publishHealth(this.health());
      } catch (error) {
        this.logger.error({ err: error }, 'cannot publish health');
      }
      this.scheduleHealth();
    }, this.config.healthIntervalMs);
  }
}
