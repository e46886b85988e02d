import type { DriverFactory } from '../driver.js';
import { sensorsPerPort } from '../serial/per-port.js';
import type { FirmataDriverConfig, FirmataProtocol } from './config.js';
import { FirmataDriver } from './firmata-driver.js';

/** One driver per Firmata board (port); its analog pins and I2C chips share the board. */
export const createDrivers: DriverFactory<FirmataDriverConfig, FirmataProtocol, never>['createDrivers'] = (
  { sensors, ports },
  deps,
) =>
  sensorsPerPort(sensors, ports).map(
    ({ port, sensors: onPort }) => new FirmataDriver({ ...deps, port, sensors: onPort }),
  );
