import type { Logger } from 'pino';
import type { BackoffPolicy } from '../../backoff/index.js';
import type { Clock } from '../clock.js';
import type { SensorError } from '../errors.js';
import type { SerialTransport } from './serial/serial-port-config.js';

/** A value as the sensor reported it, before calibration and quality checks. */
export interface RawSample {
  sensor: string;
  value: number;
  /** Sample time, epoch milliseconds UTC: from the device if it sent one, else the gateway's clock. */
  timeMs: number;
}

/** A time a device vouches for (a GPS fix), against which the gateway measures its own clock. */
export interface TimeReference {
  source: 'gps';
  /** UTC the device reported, epoch milliseconds. */
  timeMs: number;
  /** The gateway's clock when the sentence carrying it arrived. */
  receivedAtMs: number;
}

/** Where a driver delivers what it reads. Drivers never throw at their caller; faults go to `error`. */
export interface DriverSink {
  sample(sample: RawSample): void;
  error(error: SensorError): void;
  /** Only drivers that read a time source call this. */
  timeReference?(reference: TimeReference): void;
}

/** One source of samples: a serial port feeding some sensors, or one simulated sensor. */
export interface SensorDriver {
  /** Names the driver in logs, e.g. `serial-line:usb0`. */
  readonly name: string;
  /** Resolves once the first attempt to open the source is over; a failed open is retried, not thrown. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** What every driver is built with. */
export interface DriverDeps {
  sink: DriverSink;
  logger: Logger;
  clock?: Clock;
  /**
   * Multiplies the sampling interval of drivers that schedule their own sampling (polled and
   * simulated sensors): 0.01 samples a hundred times faster, for load tests and `gateway check`.
   */
  intervalScale?: number;
  /** Back-off between attempts to reopen a port (default 1 s doubling to 30 s). */
  retry?: BackoffPolicy;
}

/** What a driver sees of one of its sensors: the gateway's entry, with the driver part narrowed to its own. */
export interface DriverSensor<C> {
  readonly id: string;
  readonly quantity: string;
  readonly unit: string;
  readonly intervalMs: number;
  readonly driver: C;
}

/** A serial port speaking one of the driver's protocols. */
export type DriverPort<P> = SerialTransport & { readonly protocol: P };

/** A data file the gateway follows (`files[]`), written in one of the driver's file protocols. */
export interface DriverFile<F> {
  readonly id: string;
  readonly path: string;
  readonly protocol: F;
}

/** What one driver is built from: its own sensors, and the ports and files that speak its protocols. */
export interface DriverSources<C, P, F> {
  sensors: readonly DriverSensor<C>[];
  ports: readonly DriverPort<P>[];
  files: readonly DriverFile<F>[];
  /** The gateway's outbox directory: drivers that keep state on disk keep it beside. */
  outboxDir: string;
}

/** A driver's factory module, loaded only when the gateway's config has sensors of its type. */
export interface DriverFactory<C, P, F> {
  /** Constructors only: nothing is opened. */
  createDrivers(sources: DriverSources<C, P, F>, deps: DriverDeps): SensorDriver[];
}
