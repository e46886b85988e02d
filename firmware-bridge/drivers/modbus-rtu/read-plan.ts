import type { DriverSensor } from '../driver.js';
import { type ModbusDataType, type ModbusRtuDriverConfig, registerCount, type WordOrder } from './config.js';
import { decodeRegisters } from './register-codec.js';
import type { ReadRequest } from './rtu-frames.js';

export type ModbusSensorConfig = DriverSensor<ModbusRtuDriverConfig>;

/** One sensor's value inside a read: where its registers are and how to turn them into a number. */
export interface RegisterValue {
  sensor: string;
  address: number;
  dataType: ModbusDataType;
  wordOrder: WordOrder;
  scale: number;
  offset: number;
}

/** One request on the bus and the sensor values it serves. */
export interface PlannedRead {
  request: ReadRequest;
  values: RegisterValue[];
}

/** Reads polled on one interval. */
export interface ReadBlock extends PlannedRead {
  periodMs: number;
}

export type DecodedValue = { sensor: string; value: number } | { sensor: string; reason: string };

/** Floor under the polling period, so a scaled-down interval cannot saturate the bus. */
export const MIN_PERIOD_MS = 100;

function registerValueOf(sensor: ModbusSensorConfig): RegisterValue {
  const { address, dataType, wordOrder, scale, offset } = sensor.driver;
  return { sensor: sensor.id, address, dataType, wordOrder: wordOrder ?? 'big', scale, offset };
}

const endOf = (value: RegisterValue) => value.address + registerCount(value.dataType);

/** Packs values sorted by address into reads of adjacent or overlapping registers, none over `maxRegisters`. */
function pack(values: readonly RegisterValue[], maxRegisters: number): RegisterValue[][] {
  const runs: RegisterValue[][] = [];
  let run: RegisterValue[] = [];
  let start = 0;
  let end = 0;
  for (const value of values) {
    // Gaps are never read across: a register between two sensors may not exist on the device.
    const fits =
      run.length > 0 && value.address <= end && Math.max(end, endOf(value)) - start <= maxRegisters;
    if (!fits) {
      if (run.length > 0) runs.push(run);
      run = [];
      start = value.address;
      end = value.address;
    }
    run.push(value);
    end = Math.max(end, endOf(value));
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

function readOf(unitId: number, fn: ReadRequest['function'], values: RegisterValue[]): PlannedRead {
  const address = Math.min(...values.map((value) => value.address));
  const count = Math.max(...values.map(endOf)) - address;
  return { request: { unitId, function: fn, address, count }, values };
}

/**
 * The reads that serve a bus's sensors: one per sensor, except that sensors of the same unit,
 * function and polling period whose registers touch are read together, up to `maxRegisters`.
 */
export function readBlocks(
  sensors: readonly ModbusSensorConfig[],
  intervalScale: number,
  maxRegisters: number,
): ReadBlock[] {
  const byKey = new Map<
    string,
    { unitId: number; fn: ReadRequest['function']; periodMs: number; values: RegisterValue[] }
  >();
  for (const sensor of sensors) {
    const { unitId, function: fn } = sensor.driver;
    const periodMs = Math.max(MIN_PERIOD_MS, sensor.intervalMs * intervalScale);
    const key = `${unitId}:${fn}:${periodMs}`;
    const entry = byKey.get(key) ?? { unitId, fn, periodMs, values: [] };
    entry.values.push(registerValueOf(sensor));
    byKey.set(key, entry);
  }
  return [...byKey.values()].flatMap(({ unitId, fn, periodMs, values }) => {
    const sorted = [...values].sort((a, b) => a.address - b.address || endOf(a) - endOf(b));
    return pack(sorted, maxRegisters).map((run) => ({ ...readOf(unitId, fn, run), periodMs }));
  });
}

/** The read split into one read per sensor, so one bad register address costs only its own sensor. */
export function singleReads(read: PlannedRead): PlannedRead[] {
  return read.values.map((value) => readOf(read.request.unitId, read.request.function, [value]));
}

/** Each sensor's value from the registers a read returned (`words[0]` is the register at request.address). */
export function decodeRead(read: PlannedRead, words: readonly number[]): DecodedValue[] {
  return read.values.map((value) => {
    const from = value.address - read.request.address;
    const raw = decodeRegisters(
      words.slice(from, from + registerCount(value.dataType)),
      value.dataType,
      value.wordOrder,
    );
    const scaled = raw * value.scale + value.offset;
    if (!Number.isFinite(scaled)) {
      return {
        sensor: value.sensor,
        reason: `${value.dataType} at address ${value.address} is ${raw}, not a number`,
      };
    }
    return { sensor: value.sensor, value: scaled };
  });
}
