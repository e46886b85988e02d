import { onePerPort } from '../serial/per-port.js';
import type { LineFormat, SerialLineDriverConfig } from './config.js';
import { SerialLineDriver } from './serial-line-driver.js';

/** One driver per port in use: a port may feed several sensors. */
export const createDrivers = onePerPort<SerialLineDriverConfig, LineFormat>(
  (options) => new SerialLineDriver(options),
);
