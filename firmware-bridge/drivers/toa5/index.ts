import { defineDriver } from '../driver-module.js';
import { checkToa5Sources } from './check-toa5-sources.js';
import { Toa5DriverConfigSchema, Toa5FileProtocolSchema, Toa5ProtocolSchema } from './config.js';

/** Campbell loggers' TOA5 tables, sent over a serial port or written to a file by LoggerNet. */
export const toa5Driver = defineDriver({
  config: Toa5DriverConfigSchema,
  portProtocols: [Toa5ProtocolSchema],
  fileProtocols: [Toa5FileProtocolSchema],
  check: checkToa5Sources,
  load: () => import('./factory.js'),
});
