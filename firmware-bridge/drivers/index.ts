import type { GatewayConfig, SensorOf } from '../config/schema.js';
import type { DriverDeps, DriverFactory, DriverType, SensorDriver } from './driver.js';
import { firmataDrivers } from './firmata/index.js';
import { modbusRtuDrivers } from './modbus-rtu/index.js';
import { nmeaDrivers } from './nmea0183/index.js';
import { sdi12Drivers } from './sdi12/index.js';
import { serialLineDrivers } from './serial-line/index.js';
import { simulatorDrivers } from './simulator/index.js';
import { toa5Drivers } from './toa5/index.js';

export type { DriverDeps, DriverSink, RawSample, SensorDriver } from './driver.js';

/** Every driver type the gateway knows; the config schema's driver union has the same members. */
const FACTORIES: { [T in DriverType]: DriverFactory<T> } = {
  'serial-line': serialLineDrivers,
  nmea0183: nmeaDrivers,
  simulator: simulatorDrivers,
  sdi12: sdi12Drivers,
  toa5: toa5Drivers,
  firmata: firmataDrivers,
  'modbus-rtu': modbusRtuDrivers,
  // Derived sensors read no device: the gateway's sample pipeline computes them from their inputs.
  derived: () => [],
};

function sensorsOf<T extends DriverType>(config: GatewayConfig, type: T): SensorOf<T>[] {
  return config.sensors.filter((sensor): sensor is SensorOf<T> => sensor.driver.type === type);
}

/** Builds the drivers for every sensor of a gateway. Constructors only; nothing is opened yet. */
export function createDrivers(config: GatewayConfig, deps: DriverDeps): SensorDriver[] {
  const types = Object.keys(FACTORIES) as DriverType[];
  return types.flatMap((type) =>
    (FACTORIES[type] as DriverFactory<DriverType>)(config, sensorsOf(config, type), deps),
  );
}
