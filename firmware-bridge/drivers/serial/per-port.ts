import type { DriverDeps, DriverFactory, DriverPort, DriverSensor, SensorDriver } from '../driver.js';

/**
 * Groups port-reading sensors by the port they name, for drivers that run one instance per port.
 * The config schema has already checked that each port exists and speaks the driver's protocol.
 */
export function sensorsPerPort<C extends { port: string }, P>(
  sensors: readonly DriverSensor<C>[],
  ports: readonly DriverPort<P>[],
): { port: DriverPort<P>; sensors: DriverSensor<C>[] }[] {
  return ports.flatMap((port) => {
    const onPort = sensors.filter((sensor) => sensor.driver.port === port.id);
    return onPort.length === 0 ? [] : [{ port, sensors: onPort }];
  });
}

/**
 * The factory of a driver that runs one instance per port, all sensors on a port sharing it: the
 * instance gets the port, its sensors and the gateway's driver dependencies.
 */
export function onePerPort<C extends { port: string }, P>(
  create: (options: DriverDeps & { port: DriverPort<P>; sensors: DriverSensor<C>[] }) => SensorDriver,
): DriverFactory<C, P, never>['createDrivers'] {
  return ({ sensors, ports }, deps) =>
    sensorsPerPort(sensors, ports).map(({ port, sensors: onPort }) =>
      create({ ...deps, port, sensors: onPort }),
    );
}
