import type { z } from 'zod';

/** What the check reads of a gateway config. */
interface ClockSourceView {
  clock: { source: string };
  serialPorts: readonly { id: string; protocol: { type: string } }[];
  sensors: readonly { driver: { type: string; port?: string } }[];
}

/**
 * GPS time reaches the clock only through an nmea0183 port the gateway reads, and a port is read
 * only when some sensor names it: `clock.source: gps` without one would stay `unknown` for ever.
 */
export function checkClockSource(config: ClockSourceView, ctx: z.RefinementCtx): void {
  if (config.clock.source !== 'gps') return;
  const nmeaPorts = new Set(
    config.serialPorts.filter((port) => port.protocol.type === 'nmea0183').map((port) => port.id),
  );
  const read = config.sensors.some(
    (sensor) =>
      sensor.driver.type === 'nmea0183' &&
      sensor.driver.port !== undefined &&
      nmeaPorts.has(sensor.driver.port),
  );
  if (read) return;
  ctx.addIssue({
    code: 'custom',
    path: ['clock', 'source'],
    message: 'gps needs an nmea0183 port with at least one sensor reading it (GGA, RMC or ZDA give the time)',
  });
}
