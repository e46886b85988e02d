import type { GatewayConfig, PortOf, SensorConfig } from '../../config/schema.js';

type ProtocolType = GatewayConfig['serialPorts'][number]['protocol']['type'];

/**
 * Groups port-reading sensors by the port they name, for drivers that run one instance per port.
 * The config schema has already checked that each port exists and speaks one of `protocols`.
 */
export function sensorsPerPort<P extends ProtocolType, S extends SensorConfig & { driver: { port: string } }>(
  config: GatewayConfig,
  sensors: readonly S[],
  protocols: readonly P[],
): { port: PortOf<P>; sensors: S[] }[] {
  return config.serialPorts.flatMap((port) => {
    const onPort = sensors.filter((sensor) => sensor.driver.port === port.id);
    if (onPort.length === 0 || !(protocols as readonly ProtocolType[]).includes(port.protocol.type))
      return [];
    return [{ port: port as PortOf<P>, sensors: onPort }];
  });
}
