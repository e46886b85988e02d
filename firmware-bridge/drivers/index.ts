import { DRIVER_CATALOGUE } from './catalogue.js';
import type { DriverDeps, DriverFile, DriverPort, DriverSensor, SensorDriver } from './driver.js';
import { type CatalogueEntry, protocolTypes } from './driver-module.js';

export type { DriverDeps, DriverSink, RawSample, SensorDriver } from './driver.js';

/** What `createDrivers` reads of a parsed gateway config. */
export interface DriverSourcesConfig {
  sensors: readonly DriverSensor<{ type: string }>[];
  serialPorts: readonly DriverPort<{ type: string }>[];
  files: readonly DriverFile<{ type: string }>[];
  outbox: { dir: string };
}

/** The module a sensor's driver type belongs to. */
function moduleOf(type: string): CatalogueEntry | undefined {
  return DRIVER_CATALOGUE.find((module) => protocolTypes([module.config]).includes(type));
}

/**
 * Builds the drivers for every sensor of a gateway, loading only the factories of the driver types
 * the config uses (Johnny-Five only where a Firmata sensor is configured). Constructors only;
 * nothing is opened yet.
 */
export async function createDrivers(config: DriverSourcesConfig, deps: DriverDeps): Promise<SensorDriver[]> {
  const types = [...new Set(config.sensors.map((sensor) => sensor.driver.type))];
  const built = await Promise.all(
    types.map(async (type) => {
      const module = moduleOf(type);
      if (module === undefined) return [];
      const ports = protocolTypes(module.portProtocols);
      const files = protocolTypes(module.fileProtocols);
      const factory = await module.load();
      // The config schema has parsed each entry against this module's schemas: the types hold.
      return factory.createDrivers(
        {
          sensors: config.sensors.filter((sensor) => sensor.driver.type === type),
          ports: config.serialPorts.filter((port) => ports.includes(port.protocol.type)),
          files: config.files.filter((file) => files.includes(file.protocol.type)),
          outboxDir: config.outbox.dir,
        },
        deps,
      );
    }),
  );
  return built.flat();
}
