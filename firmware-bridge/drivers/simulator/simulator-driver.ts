import { type Clock, systemClock, type Timer } from '../../clock.js';

import type { DriverSensor, DriverSink, SensorDriver } from '../driver.js';
import type { SimulatorDriverConfig } from './config.js';
import { DAY_MS } from './signals/calendar.js';
import { signalValue } from './signals/index.js';

export type SimulatedSensorConfig = DriverSensor<SimulatorDriverConfig>;

export interface SimulatorDriverOptions {
  sensor: SimulatedSensorConfig;
  sink: DriverSink;
  clock?: Clock;
  /** Multiplies the sampling interval: 0.01 samples a hundred times faster, for load tests. */
  intervalScale?: number;
}

/** The value a simulated sensor reports at `timeMs`, rounded as the device would. */
export function simulatedValue(driver: SimulatorDriverConfig, timeMs: number): number {
  const factor = 10 ** driver.decimals;
  const signalTimeMs = timeMs + driver.shiftDays * DAY_MS;
  return Math.round(signalValue(driver.signal, signalTimeMs, driver.seed) * factor) / factor;
}

/** One simulated sensor: samples its signal at the wall-clock time, once at start and then every interval. */
export class SimulatorDriver implements SensorDriver {
  readonly name: string;
  private readonly clock: Clock;
  private readonly periodMs: number;
  private timer: Timer | undefined;
  private nextAt = 0;
  private lastSampleMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: SimulatorDriverOptions) {
    this.name = `simulator:${options.sensor.id}`;
    this.clock = options.clock ?? systemClock;
    this.periodMs = Math.max(1, options.sensor.intervalMs * (options.intervalScale ?? 1));
  }

  async start(): Promise<void> {
    this.nextAt = this.clock.now();
    this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const timeMs = this.clock.now();
    // A late timer catches up with a delay of 1 ms, which Node may end within the same millisecond:
    // a second sample at the instant of the last would be the same InfluxDB point and overwrite it.
    if (timeMs <= this.lastSampleMs) {
      this.timer = this.clock.setTimeout(() => this.tick(), 1);
      return;
    }
    this.lastSampleMs = timeMs;
    const { sensor, sink } = this.options;
    sink.sample({ sensor: sensor.id, value: simulatedValue(sensor.driver, timeMs), timeMs });
    // Scheduled against the start, not the last tick, so the sampling grid does not drift.
    this.nextAt = Math.max(this.nextAt + this.periodMs, timeMs + 1);
    this.timer = this.clock.setTimeout(() => this.tick(), this.nextAt - timeMs);
  }
}
