import type { PortOf, SensorOf } from '../../firmware-bridge/index.js';
import {
  type DeviceEmulator,
  type FileEmulation,
  type PortEmulation,
  scaled,
  sensorsOfType,
} from '../device-emulation.js';
import { Toa5FileWriter } from './toa5-file-writer.js';
import { Toa5LoggerEmulator } from './toa5-logger-emulator.js';

/** `+08:00` as minutes. */
export function offsetMinutes(utcOffset: string): number {
  const sign = utcOffset.startsWith('-') ? -1 : 1;
  const [hours, minutes] = utcOffset.slice(1).split(':').map(Number) as [number, number];
  return sign * (hours * 60 + minutes);
}

export function toa5Columns(sensors: readonly SensorOf<'toa5'>[]) {
  return sensors.map((sensor) => ({ name: sensor.driver.column, unit: sensor.unit, processing: 'Smp' }));
}

/** Rows between repeated headers: a gateway that opens its port mid-stream learns the columns soon. */
const ROWS_PER_HEADER = 3;

export function toa5Logger(emulation: PortEmulation<PortOf<'toa5'>>): DeviceEmulator {
  const sensors = sensorsOfType(emulation.sensors, 'toa5');
  const byColumn = new Map(sensors.map((sensor) => [sensor.driver.column, sensor.id]));
  const intervalMs = scaled(Math.min(...sensors.map((sensor) => sensor.intervalMs)), emulation.intervalScale);
  const logger = new Toa5LoggerEmulator({
    path: emulation.path,
    baudRate: emulation.port.baudRate,
    columns: toa5Columns(sensors),
    offsetMinutes: offsetMinutes(emulation.port.protocol.utcOffset),
    intervalMs,
    valueOf: (column, timeMs) => emulation.values(byColumn.get(column) ?? '', timeMs),
  });
  let timer: ReturnType<typeof setInterval> | undefined;
  return {
    start: async () => {
      await logger.start();
      timer = setInterval(() => void logger.sendHeader(), intervalMs * ROWS_PER_HEADER);
    },
    stop: async () => {
      clearInterval(timer);
      await logger.stop();
    },
  };
}

/** LoggerNet's side of a TOA5 file source: a table file that gains a row every interval. */
export function toa5File(emulation: FileEmulation): DeviceEmulator {
  const sensors = sensorsOfType(emulation.sensors, 'toa5').filter(
    (sensor) => sensor.driver.file === emulation.file.id,
  );
  const byColumn = new Map(sensors.map((sensor) => [sensor.driver.column, sensor.id]));
  const intervalMs = scaled(Math.min(...sensors.map((sensor) => sensor.intervalMs)), emulation.intervalScale);
  const writer = new Toa5FileWriter({
    path: emulation.path,
    columns: toa5Columns(sensors),
    offsetMinutes: offsetMinutes(emulation.file.protocol.utcOffset),
    valueOf: (column, timeMs) => emulation.values(byColumn.get(column) ?? '', timeMs),
  });
  let timer: ReturnType<typeof setInterval> | undefined;
  let writing = Promise.resolve();
  return {
    start: async () => {
      await writer.create();
      timer = setInterval(() => {
        writing = writing.then(() => writer.appendRows(1, Date.now(), intervalMs));
      }, intervalMs);
    },
    stop: async () => {
      clearInterval(timer);
      await writing;
    },
  };
}
