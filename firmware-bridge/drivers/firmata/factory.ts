import { onePerPort } from '../serial/per-port.js';
import type { FirmataDriverConfig, FirmataProtocol } from './config.js';
import { FirmataDriver } from './firmata-driver.js';

/** One driver per Firmata board (port); its analog pins and I2C chips share the board. */
export const createDrivers = onePerPort<FirmataDriverConfig, FirmataProtocol>(
  (options) => new FirmataDriver(options),
);
