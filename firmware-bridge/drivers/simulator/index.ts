import { defineDriver } from '../driver-module.js';
import { SimulatorDriverConfigSchema } from './config.js';

/** Simulated sensors with realistic signals, for demos and load tests: no port, no file. */
export const simulatorDriver = defineDriver({
  config: SimulatorDriverConfigSchema,
  portProtocols: [],
  fileProtocols: [],
  load: () => import('./factory.js'),
});
