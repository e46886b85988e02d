import type { DriverFactory } from '../driver.js';
import { sensorsPerPort } from '../serial/per-port.js';
import { NMEA_PROTOCOL_TYPES } from './config.js';
import { NmeaDriver } from './nmea-driver.js';

/** One driver per talker's port: every sensor reading that port shares its sentences. */
export const nmeaDrivers: DriverFactory<'nmea0183'> = (config, sensors, deps) =>
  sensorsPerPort(config, sensors, NMEA_PROTOCOL_TYPES).map(
    ({ port, sensors: onPort }) => new NmeaDriver({ ...deps, port, sensors: onPort }),
  );
