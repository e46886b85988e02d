import { join } from 'node:path';
import type { DriverFactory, DriverSensor } from '../driver.js';
import { sensorsPerPort } from '../serial/per-port.js';
import type { Toa5DriverConfig, Toa5FileProtocol, Toa5Protocol } from './config.js';
import { Toa5FileDriver } from './toa5-file-driver.js';
import { Toa5SerialDriver } from './toa5-serial-driver.js';

type OnPort = DriverSensor<Toa5DriverConfig & { port: string }>;

function readsPort(sensor: DriverSensor<Toa5DriverConfig>): sensor is OnPort {
  return sensor.driver.port !== undefined;
}

/** One driver per serial port and one per file; the sensors of each read its columns. */
export const createDrivers: DriverFactory<Toa5DriverConfig, Toa5Protocol, Toa5FileProtocol>['createDrivers'] =
  ({ sensors, ports, files, outboxDir }, deps) => {
    const serial = sensorsPerPort(sensors.filter(readsPort), ports).map(
      ({ port, sensors: onPort }) => new Toa5SerialDriver({ ...deps, port, sensors: onPort }),
    );
    const followed = files.flatMap((file) => {
      const inFile = sensors.filter((sensor) => sensor.driver.file === file.id);
      if (inFile.length === 0) return [];
      // File sources remember their position beside the outbox, which the gateway keeps anyway.
      return [new Toa5FileDriver({ ...deps, file, sensors: inFile, stateDir: join(outboxDir, 'toa5') })];
    });
    return [...serial, ...followed];
  };
