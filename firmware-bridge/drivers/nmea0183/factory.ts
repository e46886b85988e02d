import type { DriverFactory } from '../driver.js';
import { sensorsPerPort } from '../serial/per-port.js';
import type { NmeaDriverConfig, NmeaPortProtocol } from './config.js';
import { NmeaDriver } from './nmea-driver.js';

/** One driver per talker's port: every sensor reading that port shares its sentences. */
export const createDrivers: DriverFactory<NmeaDriverConfig, NmeaPortProtocol, never>['createDrivers'] = (
  { sensors, ports },
  deps,
) =>
  sensorsPerPort(sensors, ports).map(
    ({ port, sensors: onPort }) => new NmeaDriver({ ...deps, port, sensors: onPort }),
  );
