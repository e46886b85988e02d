import { join } from 'node:path';
import type { DriverFactory } from '../driver.js';
import { sensorsPerPort } from '../serial/per-port.js';
import { TOA5_PROTOCOL_TYPES } from './config.js';
import { Toa5FileDriver } from './toa5-file-driver.js';
import { type Toa5SensorConfig, Toa5SerialDriver } from './toa5-serial-driver.js';

type OnPort = Toa5SensorConfig & { driver: { port: string } };

function readsPort(sensor: Toa5SensorConfig): sensor is OnPort {
  return sensor.driver.port !== undefined;
}

/** Where file sources remember their position: beside the outbox, which the gateway keeps anyway. */
export function toa5StateDir(outboxDir: string): string {
  return join(outboxDir, 'toa5');
}

/** One driver per serial port and one per file; the sensors of each read its columns. */
export const toa5Drivers: DriverFactory<'toa5'> = (config, sensors, deps) => {
  const serial = sensorsPerPort(config, sensors.filter(readsPort), TOA5_PROTOCOL_TYPES).map(
    ({ port, sensors: onPort }) => new Toa5SerialDriver({ ...deps, port, sensors: onPort }),
  );
  const files = config.files.flatMap((file) => {
    const inFile = sensors.filter((sensor) => sensor.driver.file === file.id);
    if (inFile.length === 0) return [];
    return [
      new Toa5FileDriver({
        ...deps,
        file,
        sensors: inFile,
        stateDir: toa5StateDir(config.outbox.dir),
      }),
    ];
  });
  return [...serial, ...files];
};
