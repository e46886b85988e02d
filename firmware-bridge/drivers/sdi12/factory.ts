import { onePerPort } from '../serial/per-port.js';
import type { Sdi12DriverConfig, Sdi12Protocol } from './config.js';
import { Sdi12Driver } from './sdi12-driver.js';

/** One driver per SDI-12 adapter (port); the sensors behind it share its bus. */
export const createDrivers = onePerPort<Sdi12DriverConfig, Sdi12Protocol>(
  (options) => new Sdi12Driver(options),
);
