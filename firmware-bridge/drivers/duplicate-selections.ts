import type { z } from 'zod';
import type { GatewayConfigShape } from '../config/schema.js';

type Sensor = GatewayConfigShape['sensors'][number];

/**
 * What a sensor reads, in words, for the drivers where two sensors with the very same driver
 * settings are a copy-paste slip (reading one register as int16 and as uint16, or one pin as counts
 * and as volts, stays allowed); undefined for the others.
 */
function selection(sensor: Sensor): { key: string; words: string } | undefined {
  const { driver } = sensor;
  const key = JSON.stringify(driver);
  switch (driver.type) {
    case 'modbus-rtu':
      return {
        key,
        words: `unit ${driver.unitId} function ${driver.function} address ${driver.address} the same way`,
      };
    case 'firmata':
      return driver.kind === 'analog'
        ? { key, words: `pin ${driver.pin} the same way` }
        : { key, words: `the ${driver.field} of the BME280 at 0x${driver.address.toString(16)}` };
    default:
      return undefined;
  }
}

/** Two Modbus sensors reading one register, or two Firmata sensors one pin or chip field, alike are refused. */
export function checkDuplicateSelections(config: GatewayConfigShape, ctx: z.RefinementCtx): void {
  const seen = new Map<string, string>();
  config.sensors.forEach((sensor, index) => {
    const chosen = selection(sensor);
    if (chosen === undefined) return;
    const key = chosen.key;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, sensor.id);
      return;
    }
    const port = 'port' in sensor.driver ? sensor.driver.port : '';
    ctx.addIssue({
      code: 'custom',
      path: ['sensors', index, 'driver'],
      message: `sensor "${first}" already reads ${chosen.words} on port "${port}"`,
    });
  });
}
