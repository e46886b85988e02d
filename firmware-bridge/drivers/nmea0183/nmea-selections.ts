import type { z } from 'zod';
import type { GatewayConfigShape } from '../../config/schema.js';
import { describeSelection, selectionKey } from './selection-key.js';

/** Two sensors reading the same value of the same port are a copy-paste slip, not a wish: refuse them. */
export function checkNmeaSelections(config: GatewayConfigShape, ctx: z.RefinementCtx): void {
  const seen = new Map<string, string>();
  config.sensors.forEach((sensor, index) => {
    const driver = sensor.driver;
    if (driver.type !== 'nmea0183') return;
    const key = `${driver.port}|${driver.talker ?? '*'}|${selectionKey(driver)}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, sensor.id);
      return;
    }
    ctx.addIssue({
      code: 'custom',
      path: ['sensors', index, 'driver'],
      message: `sensor "${first}" already reads ${describeSelection(driver)} on port "${driver.port}"`,
    });
  });
}
