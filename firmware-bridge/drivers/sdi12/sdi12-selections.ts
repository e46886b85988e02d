import type { z } from 'zod';
import type { GatewayConfigShape } from '../../config/schema.js';

/** Two sensors reading the same value of the same measurement are a copy-paste slip: refuse them. */
export function checkSdi12Selections(config: GatewayConfigShape, ctx: z.RefinementCtx): void {
  const seen = new Map<string, string>();
  config.sensors.forEach((sensor, index) => {
    const driver = sensor.driver;
    if (driver.type !== 'sdi12') return;
    const key = `${driver.port}|${driver.address}|${driver.command}|${driver.index}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, sensor.id);
      return;
    }
    ctx.addIssue({
      code: 'custom',
      path: ['sensors', index, 'driver', 'index'],
      message: `sensor "${first}" already reads value ${driver.index} of ${driver.address}${driver.command}! on port "${driver.port}"`,
    });
  });
}
