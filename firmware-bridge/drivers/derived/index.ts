import { defineDriver } from '../driver-module.js';
import { checkDerivedSensors } from './check-derived.js';
import { DerivedDriverConfigSchema } from './config.js';

/** Sensors computed from other sensors' readings: no device, the sample pipeline computes them. */
export const derivedDriver = defineDriver({
  config: DerivedDriverConfigSchema,
  portProtocols: [],
  fileProtocols: [],
  check: checkDerivedSensors,
  load: async () => ({ createDrivers: () => [] }),
});
