import type { PortOf, SensorConfig, SensorOf, SerialPortConfig } from '../../config/schema.js';
import type { NmeaDriverConfig } from '../../drivers/nmea0183/config.js';
import { channelOf, type LineFormat } from '../../drivers/serial-line/config.js';
import type { FileSource } from '../../drivers/toa5/config.js';
import { emulatorChannel, FirmataBoardEmulator } from '../firmata/firmata-board-emulator.js';
import { ModbusRtuSlaveEmulator } from '../modbus-rtu/modbus-rtu-slave.js';
import type { EmulatedUnit } from '../modbus-rtu/register-map.js';
import type { NmeaEmulatorChannel } from '../nmea0183/burst.js';
import { NmeaTalkerEmulator } from '../nmea0183/nmea-talker.js';
import { Sdi12AdapterEmulator } from '../sdi12/sdi12-adapter-emulator.js';
import { LineDeviceEmulator } from '../serial-line/line-device.js';
import { Toa5FileWriter } from '../toa5/toa5-file-writer.js';
import { Toa5LoggerEmulator } from '../toa5/toa5-logger-emulator.js';
import type { RawValueOf } from './sensor-values.js';

/** An emulated instrument on the device end of a virtual cable. */
export interface DeviceEmulator {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface PortEmulation<P extends SerialPortConfig> {
  port: P;
  /** The device end of the PTY pair. */
  path: string;
  sensors: readonly SensorConfig[];
  values: RawValueOf;
  intervalScale: number;
}

const of = <T extends SensorConfig['driver']['type']>(
  sensors: readonly SensorConfig[],
  type: T,
): SensorOf<T>[] => sensors.filter((sensor): sensor is SensorOf<T> => sensor.driver.type === type);

/**
 * How often an emulated instrument sends: its sensors' interval times the scale, but at least every
 * few seconds, so a rehearsal's `gateway check` hears from a 5-minute logger within its minute.
 */
const REHEARSAL_MAX_INTERVAL_MS = 5000;
const scaled = (intervalMs: number, scale: number) =>
  Math.max(20, Math.min(REHEARSAL_MAX_INTERVAL_MS, Math.round(intervalMs * scale)));

export function lineDevice(emulation: PortEmulation<PortOf<LineFormat['type']>>): DeviceEmulator {
  const sensors = of(emulation.sensors, 'serial-line');
  const byChannel = new Map(sensors.map((sensor) => [channelOf(sensor), sensor.id]));
  return new LineDeviceEmulator({
    path: emulation.path,
    baudRate: emulation.port.baudRate,
    format: emulation.port.protocol,
    channels: sensors.map((sensor) => ({
      channel: channelOf(sensor),
      intervalMs: scaled(sensor.intervalMs, emulation.intervalScale),
    })),
    valueOf: (channel, timeMs) => emulation.values(byChannel.get(channel) ?? '', timeMs),
  });
}

const MDA_CHANNELS: Partial<Record<string, NmeaEmulatorChannel>> = {
  airTemperature: 'airTemperature',
  relativeHumidity: 'relativeHumidity',
  dewPoint: 'dewPoint',
  pressure: 'pressure',
  windSpeed: 'windSpeed',
  windDirectionTrue: 'windDirection',
};
const XDR_CHANNELS: Partial<Record<string, NmeaEmulatorChannel>> = {
  TAIR: 'airTemperature',
  RH: 'relativeHumidity',
  PRES: 'pressure',
  THEAT: 'heaterTemperature',
  VSUP: 'supplyVoltage',
};
const POSITION: Partial<Record<string, NmeaEmulatorChannel>> = {
  latitude: 'latitude',
  longitude: 'longitude',
  altitude: 'altitude',
};

/** The talker channel an NMEA sensor reads, where the emulated weather station sends it. */
export function nmeaChannel(driver: NmeaDriverConfig): NmeaEmulatorChannel | undefined {
  switch (driver.sentence) {
    case 'MWV':
      return driver.field === 'windSpeed' ? 'windSpeed' : 'windDirection';
    case 'MDA':
      return MDA_CHANNELS[driver.field];
    case 'XDR':
      return XDR_CHANNELS[driver.name];
    case 'GGA':
    case 'RMC':
      return POSITION[driver.field];
  }
}

/** What the emulated mast reports where no sensor of the config reads it: Xuefeng's summit. */
const MAST_DEFAULTS: Record<NmeaEmulatorChannel, number> = {
  windSpeed: 5,
  windDirection: 45,
  airTemperature: 2,
  relativeHumidity: 90,
  dewPoint: 0.5,
  pressure: 850,
  heaterTemperature: 15,
  supplyVoltage: 24,
  latitude: 27.2,
  longitude: 110.9,
  altitude: 1500,
};

export function nmeaTalker(emulation: PortEmulation<PortOf<'nmea0183'>>): DeviceEmulator {
  const sensors = of(emulation.sensors, 'nmea0183');
  const byChannel = new Map<NmeaEmulatorChannel, string>();
  for (const sensor of sensors) {
    const channel = nmeaChannel(sensor.driver);
    if (channel !== undefined && !byChannel.has(channel)) byChannel.set(channel, sensor.id);
  }
  const mwv = sensors.find((sensor) => sensor.driver.sentence === 'MWV')?.driver;
  const fastest = Math.min(...sensors.map((sensor) => sensor.intervalMs));
  return new NmeaTalkerEmulator({
    path: emulation.path,
    baudRate: emulation.port.baudRate,
    intervalMs: scaled(fastest, emulation.intervalScale),
    mwvReference: mwv?.sentence === 'MWV' && mwv.reference === 'true' ? 'T' : 'R',
    valueOf: (channel, timeMs) => {
      const sensor = byChannel.get(channel);
      return sensor === undefined ? MAST_DEFAULTS[channel] : emulation.values(sensor, timeMs);
    },
  });
}

export function sdi12Adapter(emulation: PortEmulation<PortOf<'sdi12'>>): DeviceEmulator {
  const sensors = of(emulation.sensors, 'sdi12');
  const byChannel = new Map(
    sensors.map((sensor) => [`${sensor.driver.address}:${sensor.driver.index}`, sensor.id]),
  );
  const counts = new Map<string, number>();
  for (const { driver } of sensors)
    counts.set(driver.address, Math.max(counts.get(driver.address) ?? 0, driver.index));
  return new Sdi12AdapterEmulator({
    path: emulation.path,
    baudRate: emulation.port.baudRate,
    sensors: [...counts].map(([address, values]) => ({
      address,
      values,
      measurementSeconds: 1,
      serviceRequestAfterMs: 150,
      decimals: 3,
    })),
    valueOf: (channel, timeMs) => emulation.values(byChannel.get(channel) ?? '', timeMs),
  });
}

/** Slaves on an emulated RS-485 bus, one per unit id of the sensors, each register a sensor. */
export function modbusSlaves(emulation: PortEmulation<PortOf<'modbus-rtu'>>): DeviceEmulator {
  const sensors = of(emulation.sensors, 'modbus-rtu');
  const byChannel = new Map(sensors.map((sensor) => [sensor.id, sensor.driver]));
  const units = new Map<number, EmulatedUnit['registers'][number][]>();
  for (const { id, driver } of sensors) {
    const { function: fn, address, dataType, wordOrder } = driver;
    const register = {
      function: fn,
      address,
      dataType,
      channel: id,
      ...(wordOrder === undefined ? {} : { wordOrder }),
    };
    units.set(driver.unitId, [...(units.get(driver.unitId) ?? []), register]);
  }
  return new ModbusRtuSlaveEmulator({
    path: emulation.path,
    baudRate: emulation.port.baudRate,
    parity: emulation.port.parity,
    units: [...units].map(([unitId, registers]) => ({ unitId, registers })),
    valueOf: (channel, timeMs) => {
      const driver = byChannel.get(channel);
      // The register holds counts; the driver's scale and offset turn them into the device's unit.
      return driver === undefined ? 0 : (emulation.values(channel, timeMs) - driver.offset) / driver.scale;
    },
  });
}

const ADC_FULL_SCALE = 1023;

export function firmataBoard(emulation: PortEmulation<PortOf<'firmata'>>): DeviceEmulator {
  const sensors = of(emulation.sensors, 'firmata');
  const byChannel = new Map(sensors.map((sensor) => [emulatorChannel(sensor.driver), sensor]));
  const addresses = [
    ...new Set(sensors.flatMap(({ driver }) => (driver.kind === 'bme280' ? [driver.address] : []))),
  ];
  return new FirmataBoardEmulator({
    path: emulation.path,
    baudRate: emulation.port.baudRate,
    bme280Addresses: addresses,
    valueOf: (channel, timeMs) => {
      const sensor = byChannel.get(channel);
      if (sensor === undefined) return 0;
      const raw = emulation.values(sensor.id, timeMs);
      // With `aref` the driver reports volts: the board's ADC counts are their share of aref.
      const { driver } = sensor;
      return driver.kind === 'analog' && driver.aref !== undefined
        ? (raw / driver.aref) * ADC_FULL_SCALE
        : raw;
    },
  });
}

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
  const sensors = of(emulation.sensors, 'toa5');
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

export interface FileEmulation {
  file: FileSource;
  /** Where the emulated logger's table file is written. */
  path: string;
  sensors: readonly SensorConfig[];
  values: RawValueOf;
  intervalScale: number;
}

/** LoggerNet's side of a TOA5 file source: a table file that gains a row every interval. */
export function toa5File(emulation: FileEmulation): DeviceEmulator {
  const sensors = of(emulation.sensors, 'toa5').filter((sensor) => sensor.driver.file === emulation.file.id);
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
