import type { DriverFactory } from '../driver.js';
import { SimulatorDriver } from './simulator-driver.js';

/** One driver per simulated sensor, each on its own sampling timer. */
export const simulatorDrivers: DriverFactory<'simulator'> = (_config, sensors, deps) =>
  sensors.map(
    (sensor) =>
      new SimulatorDriver({ sensor, sink: deps.sink, clock: deps.clock, intervalScale: deps.intervalScale }),
  );
