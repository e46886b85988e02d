import type { DriverFactory } from '../driver.js';
import { sensorsPerPort } from '../serial/per-port.js';
import { SDI12_PROTOCOL_TYPES } from './config.js';
import { Sdi12Driver } from './sdi12-driver.js';

/** One driver per SDI-12 adapter (port); the sensors behind it share its bus. */
export const sdi12Drivers: DriverFactory<'sdi12'> = (config, sensors, deps) =>
  sensorsPerPort(config, sensors, SDI12_PROTOCOL_TYPES).map(
    ({ port, sensors: onPort }) => new Sdi12Driver({ ...deps, port, sensors: onPort }),
  );
