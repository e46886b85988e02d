import { defineDriver } from '../driver-module.js';
import { refuseIdenticalSettings } from '../duplicate-selections.js';
import { ModbusRtuDriverConfigSchema, ModbusRtuProtocolSchema } from './config.js';

/** Modbus RTU slaves on an RS-485 bus: each sensor reads one register (or two) of one unit. */
export const modbusRtuDriver = defineDriver({
  config: ModbusRtuDriverConfigSchema,
  portProtocols: [ModbusRtuProtocolSchema],
  fileProtocols: [],
  check: ({ sensors }, ctx) =>
    refuseIdenticalSettings(
      sensors,
      (driver) => `unit ${driver.unitId} function ${driver.function} address ${driver.address} the same way`,
      ctx,
    ),
  load: () => import('./factory.js'),
});
