import type { z } from 'zod';
import type { CheckView } from '../driver-module.js';
import type { Toa5DriverConfig, Toa5FileProtocol, Toa5Protocol } from './config.js';

/**
 * A toa5 sensor reads either a serial port or a file, and the file must be one in `files`. The port
 * itself is checked with every other port reference.
 */
export function checkToa5Sources(
  { sensors, files }: CheckView<Toa5DriverConfig, Toa5Protocol, Toa5FileProtocol>,
  ctx: z.RefinementCtx,
): void {
  for (const { index, sensor } of sensors) {
    const path = ['sensors', index, 'driver'];
    const { port, file } = sensor.driver;
    if ((port === undefined) === (file === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: 'a toa5 sensor reads one source: give exactly one of "port" and "file"',
      });
    } else if (file !== undefined && !files.has(file)) {
      const known = [...files.keys()].join(', ') || 'none';
      ctx.addIssue({ code: 'custom', path: [...path, 'file'], message: `expected a files id (${known})` });
    }
  }
}
