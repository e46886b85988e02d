import type { DriverFactory } from '../driver.js';
import { sensorsPerPort } from '../serial/per-port.js';
import { LINE_PROTOCOL_TYPES } from './config.js';
import { SerialLineDriver } from './serial-line-driver.js';

/** One driver per port in use: a port may feed several sensors. */
export const serialLineDrivers: DriverFactory<'serial-line'> = (config, sensors, deps) =>
  sensorsPerPort(config, sensors, LINE_PROTOCOL_TYPES).map(
    ({ port, sensors: onPort }) => new SerialLineDriver({ ...deps, port, sensors: onPort }),
  );
