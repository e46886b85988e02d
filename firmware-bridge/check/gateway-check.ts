import type { Logger } from 'pino';
import type { BackoffPolicy } from '../../backoff/index.js';
import type { ClockHealth } from '../../protocol/index.js';
import { type Clock, systemClock } from '../clock.js';
import type { GatewayConfig, SensorConfig } from '../config/schema.js';
import { createDrivers } from '../drivers/index.js';
import { SamplePipeline } from '../sampling/sample-pipeline.js';
import { ClockMonitor } from '../time/clock-monitor.js';
import type { NtpState } from '../time/clock-state.js';
import { type SensorCheck, SensorTally } from './sensor-tally.js';

export interface CheckReport {
  station: string;
  gateway: string;
  clock: ClockHealth;
  sensors: SensorCheck[];
  /** True when no sensor failed. */
  passed: boolean;
  durationMs: number;
}

export interface GatewayCheckOptions {
  config: GatewayConfig;
  logger: Logger;
  /** Readings wanted per sensor before the check ends early. Default 3. */
  samples?: number;
  /** The check ends after this long even if some sensors are short of samples. Default 60 s. */
  timeoutMs?: number;
  /** Multiplies polling intervals so polled sensors answer quickly. Default 0.01. */
  intervalScale?: number;
  retry?: BackoffPolicy;
  clock?: Clock;
  readNtp?: () => Promise<NtpState>;
}

const CHECK_RETRY: BackoffPolicy = { initialDelayMs: 500, maxDelayMs: 2000, factor: 2, jitter: 1 };

/**
 * The check samples far faster than the sensors' intervals, where rate of change, spike and flat
 * line would judge sampling noise, not the instrument: it runs the range tests only.
 */
function rangeTestsOnly(sensors: readonly SensorConfig[]): SensorConfig[] {
  return sensors.map((sensor) => {
    const suspectRange = sensor.qc?.suspectRange;
    return { ...sensor, qc: suspectRange === undefined ? undefined : { suspectRange } };
  });
}

/**
 * Opens every sensor of a gateway config, as the gateway would, and takes a few readings through
 * calibration and the QC range tests, without MQTT or outbox: what a technician runs before leaving
 * the site.
 */
export async function checkGateway(options: GatewayCheckOptions): Promise<CheckReport> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const samples = options.samples ?? 3;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const startedAt = clock.now();
  const tally = new SensorTally(config.sensors);
  const monitor = new ClockMonitor({ config: config.clock, logger, clock, readNtp: options.readNtp });
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const pipeline = new SamplePipeline({
    sensors: rangeTestsOnly(config.sensors),
    clockUnsynced: () => monitor.current().state === 'unsynced',
    emit: (reading) => {
      tally.reading(reading);
      if (tally.complete(samples)) finish();
    },
    reject: (sensor, reason) => tally.error([sensor], `READING_INVALID: ${reason}`),
  });
  const drivers = await createDrivers(config, {
    sink: {
      sample: (sample) => pipeline.accept(sample),
      error: (error) => tally.error(error.sensors, `${error.code}: ${error.message}`),
      timeReference: (reference) => monitor.reference(reference),
    },
    logger,
    clock,
    intervalScale: options.intervalScale ?? 0.01,
    retry: options.retry ?? CHECK_RETRY,
  });
  const timer = clock.setTimeout(finish, timeoutMs);
  try {
    await monitor.start();
    await Promise.all(drivers.map((driver) => driver.start()));
    await finished;
  } finally {
    clock.clearTimeout(timer);
    monitor.stop();
    await Promise.all(drivers.map((driver) => driver.stop()));
  }
  const sensors = tally.report(timeoutMs);
  return {
    station: config.station,
    gateway: config.gateway,
    clock: monitor.current(),
    sensors,
    passed: sensors.every((sensor) => sensor.status !== 'fail'),
    durationMs: clock.now() - startedAt,
  };
}
