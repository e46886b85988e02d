import type { DriverFactory } from '../driver.js';
import { sensorsPerPort } from '../serial/per-port.js';
import type { ModbusRtuDriverConfig, ModbusRtuProtocol } from './config.js';
import { ModbusRtuDriver } from './modbus-rtu-driver.js';

/** One driver per RS-485 bus (port); every slave on it shares the bus. */
export const createDrivers: DriverFactory<ModbusRtuDriverConfig, ModbusRtuProtocol, never>['createDrivers'] =
  ({ sensors, ports }, deps) =>
    sensorsPerPort(sensors, ports).map(
      ({ port, sensors: onPort }) => new ModbusRtuDriver({ ...deps, port, sensors: onPort }),
    );
