import type { DriverFactory } from '../driver.js';
import { sensorsPerPort } from '../serial/per-port.js';
import { MODBUS_RTU_PROTOCOL_TYPES } from './config.js';
import { ModbusRtuDriver } from './modbus-rtu-driver.js';

/** One driver per RS-485 bus (port); every slave on it shares the bus. */
export const modbusRtuDrivers: DriverFactory<'modbus-rtu'> = (config, sensors, deps) =>
  sensorsPerPort(config, sensors, MODBUS_RTU_PROTOCOL_TYPES).map(
    ({ port, sensors: onPort }) => new ModbusRtuDriver({ ...deps, port, sensors: onPort }),
  );
