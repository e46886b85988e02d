import type { DriverPort, DriverSensor } from '../driver.js';

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
