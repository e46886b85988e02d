import { defineDriver } from '../driver-module.js';
import { refuseDuplicateSelections } from '../duplicate-selections.js';
import { ModbusRtuDriverConfigSchema, ModbusRtuProtocolSchema } from './config.js';

/** Modbus RTU slaves on an RS-485 bus: each sensor reads one register (or two) of one unit. */
export const modbusRtuDriver = defineDriver({
  config: ModbusRtuDriverConfigSchema,
  portProtocols: [ModbusRtuProtocolSchema],
  fileProtocols: [],
  // Reading one register as int16 and as uint16 stays allowed; the very same settings twice do not.
  check: ({ sensors }, ctx) =>
    refuseDuplicateSelections(
      sensors,
      (driver) => ({
        key: JSON.stringify(driver),
        words: `unit ${driver.unitId} function ${driver.function} address ${driver.address} the same way on port "${driver.port}"`,
      }),
      ctx,
    ),
  load: () => import('./factory.js'),
});
