import type { GatewayErrorCode } from '../../errors.js';
import type { Bme280Field } from './config.js';
import type { AnalogSensorPlan } from './sensor-plan.js';

export type FirmataReadoutCode = Extract<
  GatewayErrorCode,
  'FIRMATA_STALE' | 'FIRMATA_VALUE_INVALID' | 'FIRMATA_PIN_INVALID'
>;

/** What one sampling tick makes of a sensor: a value, a fault, or nothing yet (still starting). */
export type Readout =
  | { kind: 'sample'; value: number }
  | { kind: 'fault'; code: FirmataReadoutCode; message: string }
  | { kind: 'none' };

/** The latest report of a source and since when it has been expected. */
export interface Freshness {
  /** When the board (or chip) started reporting: the grace period counts from here. */
  sinceMs: number;
  lastAtMs?: number;
}

function staleness(
  what: string,
  freshness: Freshness,
  nowMs: number,
  staleAfterMs: number,
): Readout | undefined {
  const last = freshness.lastAtMs ?? freshness.sinceMs;
  if (nowMs - last <= staleAfterMs) return undefined;
  const since =
    freshness.lastAtMs === undefined ? 'has not reported yet' : `last reported ${nowMs - last} ms ago`;
  return { kind: 'fault', code: 'FIRMATA_STALE', message: `${what} ${since}` };
}

export interface AnalogState extends Freshness {
  pin: string;
  value: number | null;
  /** Full scale of the ADC: 1023 for 10 bits. */
  resolution: number;
}

/** Raw counts, or volts when the sensor names its reference voltage. Pure. */
export function analogReadout(
  state: AnalogState,
  sensor: AnalogSensorPlan,
  nowMs: number,
  staleAfterMs: number,
): Readout {
  const stale = staleness(`analog pin ${state.pin}`, state, nowMs, staleAfterMs);
  if (stale !== undefined) return stale;
  const { value, resolution } = state;
  if (value === null || state.lastAtMs === undefined) return { kind: 'none' };
  if (!Number.isInteger(value) || value < 0 || value > resolution) {
    const message = `analog pin ${state.pin} reported ${value}, outside the ADC's 0-${resolution}`;
    return { kind: 'fault', code: 'FIRMATA_VALUE_INVALID', message };
  }
  if (sensor.aref === undefined) return { kind: 'sample', value };
  if (resolution <= 0) {
    // A capability report that gives the ADC 0 bits leaves no full scale to turn counts into volts.
    const message = `analog pin ${state.pin}: the board reports an ADC full scale of ${resolution}`;
    return { kind: 'fault', code: 'FIRMATA_VALUE_INVALID', message };
  }
  return { kind: 'sample', value: Number(((value / resolution) * sensor.aref).toFixed(6)) };
}

/** One compensated BME280 reading, in Johnny-Five's units. */
export interface ChipReading {
  celsius: number;
  relativeHumidity: number;
  pressureKpa: number;
}

export interface ChipState extends Freshness {
  label: string;
  reading?: ChipReading;
}

const FIELD_VALUE: { [F in Bme280Field]: (reading: ChipReading) => number } = {
  temperature: (reading) => reading.celsius,
  humidity: (reading) => reading.relativeHumidity,
  // hPa, as weather stations report it; kPa has 5 decimals in Johnny-Five.
  pressure: (reading) => Math.round(reading.pressureKpa * 100_000) / 10_000,
};

/** Temperature in Cel, humidity in %, pressure in hPa. Pure. */
export function chipReadout(
  state: ChipState,
  field: Bme280Field,
  nowMs: number,
  staleAfterMs: number,
): Readout {
  const stale = staleness(state.label, state, nowMs, staleAfterMs);
  if (stale !== undefined) return stale;
  if (state.reading === undefined) return { kind: 'none' };
  const value = FIELD_VALUE[field](state.reading);
  if (!Number.isFinite(value)) {
    return { kind: 'fault', code: 'FIRMATA_VALUE_INVALID', message: `${state.label} gave no ${field}` };
  }
  return { kind: 'sample', value };
}
