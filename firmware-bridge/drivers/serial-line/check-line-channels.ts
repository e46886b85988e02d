import type { z } from 'zod';
import type { CheckView } from '../driver-module.js';
import { channelOf, type LineFormat, linesNameChannel, type SerialLineDriverConfig } from './config.js';

/**
 * Each serial-line sensor needs a channel of its own on its port, and a port whose lines name no
 * channel can feed only one sensor: otherwise a line could not be attributed.
 */
export function checkLineChannels(
  { sensors, ports }: CheckView<SerialLineDriverConfig, LineFormat, never>,
  ctx: z.RefinementCtx,
): void {
  const channelsByPort = new Map<string, Set<string>>();
  for (const { index, sensor } of sensors) {
    const port = ports.get(sensor.driver.port);
    if (port === undefined) continue;
    const path = ['sensors', index, 'driver'];
    const channels = channelsByPort.get(port.id) ?? new Set<string>();
    channelsByPort.set(port.id, channels);
    const channel = channelOf({ id: sensor.id, driver: sensor.driver });
    if (!linesNameChannel(port.protocol) && channels.size > 0) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'port'],
        message: `port "${port.id}" has no channel key in its lines, so it can carry only one sensor`,
      });
    } else if (channels.has(channel)) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'channel'],
        message: `channel "${channel}" is already used on port "${port.id}"`,
      });
    }
    channels.add(channel);
  }
}
