import type { SensorConfig } from '../config/schema.js';
import type { RawSample } from '../drivers/driver.js';
import { simulatedValue } from '../drivers/simulator/simulator-driver.js';

/** The stretch of time a backfill covers: from `fromMs` included to `toMs` excluded. */
export interface BackfillWindow {
  fromMs: number;
  toMs: number;
}

/**
 * How many samples a sensor sampled every `intervalMs` takes in the window. Samples fall on
 * multiples of the interval since the epoch, so sensors of one interval share instants (a derived
 * channel finds its inputs together) and a second backfill of an overlapping window lands on the
 * same points instead of beside them.
 */
export function sampleCount(intervalMs: number, window: BackfillWindow): number {
  return Math.max(0, Math.ceil(window.toMs / intervalMs) - Math.ceil(window.fromMs / intervalMs));
}

/** The first sample instant at or after `fromMs`. */
function firstSample(intervalMs: number, fromMs: number): number {
  return Math.ceil(fromMs / intervalMs) * intervalMs;
}

/**
 * Readings each sensor yields over the window: its own grid for a simulated sensor, and for a
 * derived one the grid of its inputs when they share one interval (the case of every bundled
 * config). Inputs on different grids meet only where their grids coincide within the skew, which
 * this does not work out: such a derived sensor is left out of the map.
 */
export function scheduledCounts(
  sensors: readonly SensorConfig[],
  window: BackfillWindow,
): Map<string, number> {
  const byId = new Map(sensors.map((sensor) => [sensor.id, sensor]));
  const counts = new Map<string, number>();
  for (const sensor of sensors) {
    if (sensor.driver.type === 'simulator') counts.set(sensor.id, sampleCount(sensor.intervalMs, window));
    if (sensor.driver.type !== 'derived') continue;
    const intervals = new Set(Object.values(sensor.driver.inputs).map((id) => byId.get(id)?.intervalMs));
    const [interval] = intervals;
    if (intervals.size === 1 && interval !== undefined) counts.set(sensor.id, sampleCount(interval, window));
  }
  return counts;
}

/**
 * The raw samples the simulated sensors would have taken over the window, in time order (config
 * order within one instant), each the simulator's own value for that instant. Derived sensors take
 * no samples: the gateway's sample pipeline computes them from these (history-readings.ts).
 */
export function* historySamples(
  sensors: readonly SensorConfig[],
  window: BackfillWindow,
): Generator<RawSample> {
  const lanes = sensors.flatMap((sensor) =>
    sensor.driver.type === 'simulator'
      ? [
          {
            id: sensor.id,
            driver: sensor.driver,
            step: sensor.intervalMs,
            next: firstSample(sensor.intervalMs, window.fromMs),
          },
        ]
      : [],
  );
  for (;;) {
    let lane: (typeof lanes)[number] | undefined;
    for (const candidate of lanes) if (lane === undefined || candidate.next < lane.next) lane = candidate;
    if (lane === undefined || lane.next >= window.toMs) return;
    yield { sensor: lane.id, value: simulatedValue(lane.driver, lane.next), timeMs: lane.next };
    lane.next += lane.step;
  }
}
