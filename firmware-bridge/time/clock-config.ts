import { z } from 'zod';

export const ClockConfigSchema = z.strictObject({
  /**
   * What vouches for the gateway's clock: `ntp` asks the system (timedatectl), `gps` compares with the
   * UTC in GPS sentences read by an nmea0183 port, `auto` uses a recent GPS fix if there is one and NTP
   * otherwise, `none` reports the clock as unknown. Whatever the source, a clock before 2020 has never
   * been set: it counts as unsynchronised and marks the readings.
   */
  source: z.enum(['auto', 'ntp', 'gps', 'none']).default('auto'),
  /** Further from the GPS reference than this, the clock counts as unsynchronised. */
  maxOffsetMs: z.number().int().positive().default(2000),
  /** How often the system's NTP state is read. */
  checkIntervalMs: z.number().int().min(1000).default(60_000),
});

export type ClockConfig = z.output<typeof ClockConfigSchema>;
