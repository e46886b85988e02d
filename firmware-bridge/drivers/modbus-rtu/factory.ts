import { onePerPort } from '../serial/per-port.js';
import type { ModbusRtuDriverConfig, ModbusRtuProtocol } from './config.js';
import { ModbusRtuDriver } from './modbus-rtu-driver.js';

/** One driver per RS-485 bus (port); every slave on it shares the bus. */
export const createDrivers = onePerPort<ModbusRtuDriverConfig, ModbusRtuProtocol>(
  (options) => new ModbusRtuDriver(options),
);
