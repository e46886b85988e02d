import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { GatewayConfig, SensorConfig } from '../config/schema.js';
import type { DriverSink, SensorDriver } from './driver.js';
import { SerialLineDriver, type SerialSensorConfig } from './serial-line.js';
import { type SimulatedSensorConfig, SimulatorDriver } from './simulator.js';

export type { DriverSink, RawSample, SensorDriver } from './driver.js';

export interface DriverDeps {
  sink: DriverSink;
  logger: Logger;
  clock?: Clock;
  intervalScale?: number;
}

type DriverType = SensorConfig['driver']['type'];
type SensorsOf<T extends DriverType> = Extract<SensorConfig, { driver: { type: T } }>[];
type Factory<T extends DriverType> = (
  config: GatewayConfig,
  sensors: SensorsOf<T>,
  deps: DriverDeps,
) => SensorDriver[];

function serialDrivers(
  config: GatewayConfig,
  sensors: SerialSensorConfig[],
  deps: DriverDeps,
): SensorDriver[] {
  // One driver per port in use: a port may feed several sensors.
  return config.serialPorts.flatMap((port) => {
    const onPort = sensors.filter((sensor) => sensor.driver.port === port.id);
    if (onPort.length === 0) return [];
    return [
      new SerialLineDriver({
        port,
        sensors: onPort,
        sink: deps.sink,
        logger: deps.logger,
        clock: deps.clock,
      }),
    ];
  });
}

function simulatorDrivers(
  _config: GatewayConfig,
  sensors: SimulatedSensorConfig[],
  deps: DriverDeps,
): SensorDriver[] {
  return sensors.map(
    (sensor) =>
      new SimulatorDriver({ sensor, sink: deps.sink, clock: deps.clock, intervalScale: deps.intervalScale }),
  );
}

const FACTORIES: { [T in DriverType]: Factory<T> } = {
  'serial-line': serialDrivers,
  simulator: simulatorDrivers,
};

function sensorsOf<T extends DriverType>(config: GatewayConfig, type: T): SensorsOf<T> {
  return config.sensors.filter((sensor): sensor is SensorsOf<T>[number] => sensor.driver.type === type);
}

/** Builds the drivers for every sensor of a gateway. Constructors only; nothing is opened yet. */
export function createDrivers(config: GatewayConfig, deps: DriverDeps): SensorDriver[] {
  const types = Object.keys(FACTORIES) as DriverType[];
  return types.flatMap((type) =>
    (FACTORIES[type] as Factory<DriverType>)(config, sensorsOf(config, type), deps),
  );
}
