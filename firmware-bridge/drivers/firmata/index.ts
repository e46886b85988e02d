import type { DriverFactory } from '../driver.js';
import { sensorsPerPort } from '../serial/per-port.js';
import { FIRMATA_PROTOCOL_TYPES } from './config.js';
import { FirmataDriver } from './firmata-driver.js';

/** One driver per Firmata board (port); its analog pins and I2C chips share the board. */
export const firmataDrivers: DriverFactory<'firmata'> = (config, sensors, deps) =>
  sensorsPerPort(config, sensors, FIRMATA_PROTOCOL_TYPES).map(
    ({ port, sensors: onPort }) => new FirmataDriver({ ...deps, port, sensors: onPort }),
  );
