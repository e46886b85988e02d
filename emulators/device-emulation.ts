import type { FileSource } from '../firmware-bridge/drivers/toa5/contract.js';
import type { SensorConfig, SensorOf, SerialPortConfig } from '../firmware-bridge/index.js';

/** What an emulated instrument should send for a sensor at a time: the raw value, before calibration. */
export type RawValueOf = (sensorId: string, timeMs: number) => number;

/** An emulated instrument on the device end of a virtual cable. */
export interface DeviceEmulator {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface PortEmulation<P extends SerialPortConfig = SerialPortConfig> {
  port: P;
  /** The device end of the PTY pair. */
  path: string;
  sensors: readonly SensorConfig[];
  values: RawValueOf;
  intervalScale: number;
}

/** The sensors of one driver type, narrowed to it. */
export const sensorsOfType = <T extends SensorConfig['driver']['type']>(
  sensors: readonly SensorConfig[],
  type: T,
): SensorOf<T>[] => sensors.filter((sensor): sensor is SensorOf<T> => sensor.driver.type === type);

/**
 * How often an emulated instrument sends: its sensors' interval times the scale, but at least every
 * few seconds, so a rehearsal's `gateway check` hears from a 5-minute logger within its minute.
 */
const REHEARSAL_MAX_INTERVAL_MS = 5000;
export const scaled = (intervalMs: number, scale: number) =>
  Math.max(20, Math.min(REHEARSAL_MAX_INTERVAL_MS, Math.round(intervalMs * scale)));

export interface FileEmulation {
  file: FileSource;
  /** Where the emulated logger's table file is written. */
  path: string;
  sensors: readonly SensorConfig[];
  values: RawValueOf;
  intervalScale: number;
}
