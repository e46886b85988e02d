import type { DriverSensor } from '../driver.js';
import { analogChannel, type Bme280Field, type FirmataDriverConfig } from './config.js';

export type FirmataSensorConfig = DriverSensor<FirmataDriverConfig>;

/** Floor under the sampling period, so a scaled-down interval cannot spin the sampler. */
export const MIN_PERIOD_MS = 50;

export interface AnalogSensorPlan {
  id: string;
  /** Volts at full scale; absent: raw counts. */
  aref?: number;
}

/** One analog input pin, read by every sensor that names it. */
export interface AnalogPinPlan {
  pin: string;
  channel: number;
  sensors: AnalogSensorPlan[];
}

/** One BME280 on the bus; its sensors pick fields of the same reading. */
export interface ChipPlan {
  address: number;
  sensors: { id: string; field: Bme280Field }[];
}

export interface SensorPlan {
  pins: AnalogPinPlan[];
  chips: ChipPlan[];
  /** Sampling period of each sensor. */
  periods: { id: string; periodMs: number }[];
}

/** Groups a board's sensors by analog pin and by I2C chip. Pure. */
export function planSensors(sensors: readonly FirmataSensorConfig[], intervalScale: number): SensorPlan {
  const pins = new Map<string, AnalogPinPlan>();
  const chips = new Map<number, ChipPlan>();
  for (const { id, driver } of sensors) {
    if (driver.kind === 'analog') {
      const plan = pins.get(driver.pin) ?? {
        pin: driver.pin,
        channel: analogChannel(driver.pin),
        sensors: [],
      };
      plan.sensors.push(driver.aref === undefined ? { id } : { id, aref: driver.aref });
      pins.set(driver.pin, plan);
    } else {
      const plan = chips.get(driver.address) ?? { address: driver.address, sensors: [] };
      plan.sensors.push({ id, field: driver.field });
      chips.set(driver.address, plan);
    }
  }
  const periods = sensors.map((sensor) => ({
    id: sensor.id,
    periodMs: Math.max(MIN_PERIOD_MS, sensor.intervalMs * intervalScale),
  }));
  return { pins: [...pins.values()], chips: [...chips.values()], periods };
}

export function formatAddress(address: number): string {
  return `0x${address.toString(16).padStart(2, '0')}`;
}
