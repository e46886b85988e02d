import type { z } from 'zod';
import type { IndexedSensor } from './driver-module.js';

/** What a sensor reads, as a key two copies share, and in words for the issue. */
export interface Selection {
  key: string;
  /** Completes "sensor X already reads …". */
  words: string;
  /** Below `sensors[i].driver`, where the issue points; the driver itself by default. */
  path?: (string | number)[];
}

/**
 * Two sensors reading the very same value are a copy-paste slip, not a wish: the second is refused.
 * `select` says what a sensor reads; undefined leaves it out (it can share its value).
 */
export function refuseDuplicateSelections<C>(
  sensors: readonly IndexedSensor<C>[],
  select: (driver: C) => Selection | undefined,
  ctx: z.RefinementCtx,
): void {
  const seen = new Map<string, string>();
  for (const { index, sensor } of sensors) {
    const chosen = select(sensor.driver);
    if (chosen === undefined) continue;
    const first = seen.get(chosen.key);
    if (first === undefined) {
      seen.set(chosen.key, sensor.id);
      continue;
    }
    ctx.addIssue({
      code: 'custom',
      path: ['sensors', index, 'driver', ...(chosen.path ?? [])],
      message: `sensor "${first}" already reads ${chosen.words}`,
    });
  }
}

/**
 * Refuses a sensor whose driver settings are the very same as an earlier one's: reading one value
 * two ways (a register as int16 and as uint16, a pin as counts and as volts) stays allowed.
 * `reads` completes "already reads …" for the first.
 */
export function refuseIdenticalSettings<C extends { port: string }>(
  sensors: readonly IndexedSensor<C>[],
  reads: (driver: C) => string,
  ctx: z.RefinementCtx,
): void {
  refuseDuplicateSelections(
    sensors,
    (driver) => ({ key: JSON.stringify(driver), words: `${reads(driver)} on port "${driver.port}"` }),
    ctx,
  );
}
