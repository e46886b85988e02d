import type { z } from 'zod';
import type { GatewayConfigShape } from '../../config/schema.js';

/**
 * A toa5 sensor reads either a serial port or a file, and the file must be one in `files`. The port
 * itself is checked with every other port reference. File ids must be unique.
 */
export function checkToa5Sources(config: GatewayConfigShape, ctx: z.RefinementCtx): void {
  const files = new Set<string>();
  config.files.forEach((file, index) => {
    if (files.has(file.id)) {
      ctx.addIssue({ code: 'custom', path: ['files', index, 'id'], message: 'expected a unique file id' });
    }
    files.add(file.id);
  });
  config.sensors.forEach((sensor, index) => {
    if (sensor.driver.type !== 'toa5') return;
    const path = ['sensors', index, 'driver'];
    const { port, file } = sensor.driver;
    if ((port === undefined) === (file === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: 'a toa5 sensor reads one source: give exactly one of "port" and "file"',
      });
    } else if (file !== undefined && !files.has(file)) {
      const known = [...files].join(', ') || 'none';
      ctx.addIssue({ code: 'custom', path: [...path, 'file'], message: `expected a files id (${known})` });
    }
  });
}
