import type { DriverSensor } from '../driver.js';
import type { Sdi12Command, Sdi12DriverConfig } from './config.js';

export type Sdi12SensorConfig = DriverSensor<Sdi12DriverConfig>;

/** Sensors that read values of the same measurement: one measurement cycle serves them all. */
export interface MeasurementGroup {
  address: string;
  command: Sdi12Command;
  /** Sensor id and which value of the measurement it takes (1-based). */
  sensors: { id: string; index: number }[];
  periodMs: number;
}

/** Floor under the polling period, so a scaled-down interval cannot spin the bus. */
export const MIN_PERIOD_MS = 100;

/** Groups a port's sensors by address and command; each group polls as often as its most frequent sensor. */
export function measurementGroups(
  sensors: readonly Sdi12SensorConfig[],
  intervalScale: number,
): MeasurementGroup[] {
  const groups = new Map<string, MeasurementGroup>();
  for (const sensor of sensors) {
    const { address, command, index } = sensor.driver;
    const key = `${address}:${command}`;
    const periodMs = Math.max(MIN_PERIOD_MS, sensor.intervalMs * intervalScale);
    const group = groups.get(key) ?? { address, command, sensors: [], periodMs };
    group.sensors.push({ id: sensor.id, index });
    group.periodMs = Math.min(group.periodMs, periodMs);
    groups.set(key, group);
  }
  return [...groups.values()];
}
