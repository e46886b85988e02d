import type { DriverFactory } from '../driver.js';
import { sensorsPerPort } from '../serial/per-port.js';
import type { LineFormat, SerialLineDriverConfig } from './config.js';
import { SerialLineDriver } from './serial-line-driver.js';

/** One driver per port in use: a port may feed several sensors. */
export const createDrivers: DriverFactory<SerialLineDriverConfig, LineFormat, never>['createDrivers'] = (
  { sensors, ports },
  deps,
) =>
  sensorsPerPort(sensors, ports).map(
    ({ port, sensors: onPort }) => new SerialLineDriver({ ...deps, port, sensors: onPort }),
  );
