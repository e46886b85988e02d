import type { NmeaDriverConfig } from '../../firmware-bridge/drivers/nmea0183/contract.js';
import type { PortOf } from '../../firmware-bridge/index.js';
import { type DeviceEmulator, type PortEmulation, scaled, sensorsOfType } from '../device-emulation.js';
import type { NmeaEmulatorChannel } from './burst.js';
import { NmeaTalkerEmulator } from './nmea-talker.js';

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
  const sensors = sensorsOfType(emulation.sensors, 'nmea0183');
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
