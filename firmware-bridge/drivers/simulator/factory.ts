import type { DriverFactory } from '../driver.js';
import type { SimulatorDriverConfig } from './config.js';
import { SimulatorDriver } from './simulator-driver.js';

/** One driver per simulated sensor, each on its own sampling timer. */
export const createDrivers: DriverFactory<SimulatorDriverConfig, never, never>['createDrivers'] = (
  { sensors },
  deps,
) =>
  sensors.map(
    (sensor) =>
      new SimulatorDriver({ sensor, sink: deps.sink, clock: deps.clock, intervalScale: deps.intervalScale }),
  );
