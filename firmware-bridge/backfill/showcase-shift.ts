import type { SensorConfig } from '../config/schema.js';
import { DAY_MS, HOUR_MS } from '../drivers/simulator/signals/calendar.js';
import { iceThicknessMm } from '../drivers/simulator/signals/icing.js';
import { signalValue } from '../drivers/simulator/signals/index.js';
import type { BackfillWindow } from './sample-schedule.js';

type SimulatedSensor = SensorConfig & { driver: { type: 'simulator' } };
type Driver = Extract<SensorConfig['driver'], { type: 'simulator' }>;

/** An episode the demo's week must show, checked on a gateway's noise-free signals. */
export interface Showcase {
  name: string;
  /** The sensor whose signal shows it, or undefined when the gateway has none. */
  pick(sensors: readonly SensorConfig[]): Driver | undefined;
  shows(driver: Driver, window: BackfillWindow): boolean;
}

const STEP_MS = 10 * 60_000;

function simulated(sensors: readonly SensorConfig[]): SimulatedSensor[] {
  return sensors.filter((sensor): sensor is SimulatedSensor => sensor.driver.type === 'simulator');
}

function* instants(window: BackfillWindow): Generator<number> {
  for (let t = window.fromMs; t < window.toMs; t += STEP_MS) yield t;
}

/**
 * A night of icing that config/alerts.yaml's `conductor-icing` (above 10 mm, clear at 8 mm) fires
 * on and clears within the week: 12 mm at its height, bare conductor at both ends of the window.
 */
export const ICING_NIGHT: Showcase = {
  name: 'icing night',
  pick: (sensors) =>
    simulated(sensors).find((s) =>
      ['conductor-load', 'ice-thickness', 'conductor-tension'].includes(s.driver.signal.type),
    )?.driver,
  shows: (driver, window) => {
    const { signal, seed, shiftDays } = driver;
    if (!('episodesPerNight' in signal)) return false;
    const ice = (t: number) => iceThicknessMm(t + shiftDays * DAY_MS, seed, signal);
    if (ice(window.fromMs) > 1 || ice(window.toMs) > 1) return false;
    for (const t of instants(window)) if (ice(t) >= 12) return true;
    return false;
  },
};

/**
 * A storm the spring answers: the stage rising 0.35 m within an hour (`spring-stage-rising` fires
 * above 0.3 m/h), its peak at least a day before the window ends so the recession shows, and the
 * stage back under half its rise by then.
 */
export const STORM_WITH_RECESSION: Showcase = {
  name: 'storm with spring recession',
  pick: (sensors) =>
    simulated(sensors).find((s) => s.quantity === 'stage' && s.driver.signal.type === 'rain-response')
      ?.driver,
  shows: (driver, window) => {
    const signal = { ...driver.signal, noise: 0 };
    const stage = (t: number) => signalValue(signal, t + driver.shiftDays * DAY_MS, driver.seed);
    // One evaluation per instant, from an hour before the window: the rise over an hour is then a
    // difference of two values already computed (the search tries hundreds of shifts).
    const lag = HOUR_MS / STEP_MS;
    const values: number[] = [];
    for (let t = window.fromMs - HOUR_MS; t < window.toMs; t += STEP_MS) values.push(stage(t));
    let steepest = { index: 0, rise: 0 };
    for (let i = lag; i < values.length; i++) {
      const rise = (values[i] as number) - (values[i - lag] as number);
      if (rise > steepest.rise) steepest = { index: i, rise };
    }
    const inWindow = values.slice(lag);
    const base = inWindow[0] ?? 0;
    const peak = Math.max(...inWindow);
    const receded = (inWindow.at(-1) ?? peak) < base + (peak - base) / 2;
    const steepestAt = window.fromMs + (steepest.index - lag) * STEP_MS;
    return steepest.rise >= 0.35 && steepestAt <= window.toMs - DAY_MS && receded;
  },
};

export const SHOWCASES: readonly Showcase[] = [ICING_NIGHT, STORM_WITH_RECESSION];

/** Histories shorter than this are taken as the weather has them, unshifted. */
export const MIN_SHOWCASE_WINDOW_MS = 3 * DAY_MS;

export interface ShiftChoice {
  shiftDays: number;
  /** The showcases the shifted week holds. */
  shown: string[];
  /** Showcases the gateway has signals for but no shift within reach produced. */
  missing: string[];
}

function withShift(driver: Driver, shiftDays: number): Driver {
  return { ...driver, shiftDays };
}

/** The sensors with every simulated signal shifted by `shiftDays`; derived ones unchanged. */
export function shiftWeather(sensors: readonly SensorConfig[], shiftDays: number): SensorConfig[] {
  return sensors.map(
    (sensor): SensorConfig =>
      sensor.driver.type === 'simulator'
        ? { ...sensor, driver: withShift(sensor.driver, shiftDays) }
        : sensor,
  );
}

/**
 * The whole-day shift of the simulated weather, nearest to none, whose week ending at the window's
 * end holds every showcase this gateway has signals for. The signals are deterministic, so which
 * weeks hold a storm or an icing night is known in advance; searching costs milliseconds. Pure.
 */
export function chooseShift(
  sensors: readonly SensorConfig[],
  window: BackfillWindow,
  maxShiftDays = 180,
): ShiftChoice {
  // A storm and its recession take days: a shorter history (a test's two hours) is not a showcase.
  if (window.toMs - window.fromMs < MIN_SHOWCASE_WINDOW_MS) return { shiftDays: 0, shown: [], missing: [] };
  const wanted = SHOWCASES.flatMap((showcase) => {
    const driver = showcase.pick(sensors);
    return driver === undefined ? [] : [{ showcase, driver }];
  });
  for (let distance = 0; distance <= maxShiftDays; distance++) {
    for (const shiftDays of distance === 0 ? [0] : [-distance, distance]) {
      if (wanted.every(({ showcase, driver }) => showcase.shows(withShift(driver, shiftDays), window))) {
        return { shiftDays, shown: wanted.map(({ showcase }) => showcase.name), missing: [] };
      }
    }
  }
  return { shiftDays: 0, shown: [], missing: wanted.map(({ showcase }) => showcase.name) };
}
