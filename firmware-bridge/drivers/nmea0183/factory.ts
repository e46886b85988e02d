import { onePerPort } from '../serial/per-port.js';
import type { NmeaDriverConfig, NmeaPortProtocol } from './config.js';
import { NmeaDriver } from './nmea-driver.js';

/** One driver per talker's port: every sensor reading that port shares its sentences. */
export const createDrivers = onePerPort<NmeaDriverConfig, NmeaPortProtocol>(
  (options) => new NmeaDriver(options),
);
