import type { SensorError } from '../errors.js';

/** A value as the sensor reported it, before calibration and quality checks. */
export interface RawSample {
  sensor: string;
  value: number;
  /** Sample time, epoch milliseconds UTC: from the line if it carried one, else the gateway's clock. */
  timeMs: number;
}

/** Where a driver delivers what it reads. Drivers never throw at their caller; faults go to `error`. */
export interface DriverSink {
  sample(sample: RawSample): void;
  error(error: SensorError): void;
}

/** One source of samples: a serial port feeding some sensors, or one simulated sensor. */
export interface SensorDriver {
  /** Names the driver in logs, e.g. `serial-line:usb0`. */
  readonly name: string;
  /** Resolves once the first attempt to open the source is over; a failed open is retried, not thrown. */
  start(): Promise<void>;
  stop(): Promise<void>;
}
