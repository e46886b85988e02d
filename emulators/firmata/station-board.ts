import type { PortOf } from '../../firmware-bridge/index.js';
import { type DeviceEmulator, type PortEmulation, sensorsOfType } from '../device-emulation.js';
import { emulatorChannel, FirmataBoardEmulator } from './firmata-board-emulator.js';

const ADC_FULL_SCALE = 1023;

/** The Arduino at the end of a Firmata port, with the analog pins and BME280 chips its sensors read. */
export function firmataBoard(emulation: PortEmulation<PortOf<'firmata'>>): DeviceEmulator {
  const sensors = sensorsOfType(emulation.sensors, 'firmata');
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
