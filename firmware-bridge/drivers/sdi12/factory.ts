import type { DriverFactory } from '../driver.js';
import { sensorsPerPort } from '../serial/per-port.js';
import type { Sdi12DriverConfig, Sdi12Protocol } from './config.js';
import { Sdi12Driver } from './sdi12-driver.js';

/** One driver per SDI-12 adapter (port); the sensors behind it share its bus. */
export const createDrivers: DriverFactory<Sdi12DriverConfig, Sdi12Protocol, never>['createDrivers'] = (
  { sensors, ports },
  deps,
) =>
  sensorsPerPort(sensors, ports).map(
    ({ port, sensors: onPort }) => new Sdi12Driver({ ...deps, port, sensors: onPort }),
  );
