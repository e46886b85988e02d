import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RawSample } from '../../../firmware-bridge/drivers/driver.js';
import type { SimulatorDriverConfig } from '../../../firmware-bridge/drivers/simulator/config.js';
import { iceThicknessMm } from '../../../firmware-bridge/drivers/simulator/signals/icing.js';
import {
  type Signal,
  SignalSchema,
  signalValue,
} from '../../../firmware-bridge/drivers/simulator/signals/index.js';
import { eventsBefore, hashUnit } from '../../../firmware-bridge/drivers/simulator/signals/random.js';
import {
  SimulatorDriver,
  simulatedValue,
} from '../../../firmware-bridge/drivers/simulator/simulator-driver.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 0, 1);

function signal(input: Record<string, unknown>): Signal {
  return SignalSchema.parse(input);
}

function series(s: Signal, seed: number, from: number, days: number, stepMs: number): number[] {
  const values: number[] = [];
  for (let t = from; t < from + days * DAY; t += stepMs) values.push(signalValue(s, t, seed));
  return values;
}

describe('randomness', () => {
  it('is a pure function of seed and keys', () => {
    expect(hashUnit(7, 1, 2)).toBe(hashUnit(7, 1, 2));
    expect(hashUnit(7, 1, 2)).not.toBe(hashUnit(8, 1, 2));
    expect(hashUnit(7, START)).not.toBe(hashUnit(7, START + 1));
    const draws = Array.from({ length: 10_000 }, (_, i) => hashUnit(3, i));
    const mean = draws.reduce((a, b) => a + b) / draws.length;
    expect(mean).toBeCloseTo(0.5, 1);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
  });

  it('places events at the expected rate, never in the future', () => {
    const process = { seed: 5, stream: 1, slotMs: DAY, probability: 0.25 };
    const events = eventsBefore(process, START + 400 * DAY, 400 * DAY);
    expect(events.length).toBeGreaterThan(70);
    expect(events.length).toBeLessThan(130);
    expect(events.every((e) => e.startMs <= START + 400 * DAY)).toBe(true);
  });
});

describe('signals', () => {
  const diurnal = signal({
    type: 'diurnal',
    mean: 10,
    amplitude: 3,
    peakHour: 14,
    noise: 0.2,
    utcOffsetHours: 8,
  });

  it('replays the same values for the same seed and differs for another', () => {
    const a = series(diurnal, 1, START, 1, 10 * 60_000);
    expect(series(diurnal, 1, START, 1, 10 * 60_000)).toEqual(a);
    expect(series(diurnal, 2, START, 1, 10 * 60_000)).not.toEqual(a);
  });

  it('peaks at the configured local hour', () => {
    const quiet = signal({ type: 'diurnal', mean: 10, amplitude: 3, peakHour: 14, utcOffsetHours: 8 });
    const hourly = Array.from({ length: 24 }, (_, h) => signalValue(quiet, START + h * HOUR, 1));
    // 14:00 at UTC+8 is 06:00 UTC.
    expect(hourly.indexOf(Math.max(...hourly))).toBe(6);
    expect(Math.max(...hourly)).toBeCloseTo(13);
    expect(Math.min(...hourly)).toBeCloseTo(7);
  });

  it('keeps humidity within its physical bounds', () => {
    const rh = signal({ type: 'diurnal', mean: 97, amplitude: -2, noise: 3, min: 0, max: 100 });
    const values = series(rh, 4, START, 10, 15 * 60_000);
    expect(Math.max(...values)).toBe(100);
    expect(Math.min(...values)).toBeGreaterThan(80);
  });

  it('makes cave CO2 high in summer, and lowers it during ventilation without going below outside air', () => {
    const co2 = signal({
      type: 'cave-co2',
      base: 2500,
      seasonalAmplitude: 1500,
      ventilationPerDay: 0.5,
      noise: 10,
    });
    const winter = series(co2, 3, Date.UTC(2026, 0, 10), 30, HOUR);
    const summer = series(co2, 3, Date.UTC(2026, 7, 1), 30, HOUR);
    const mean = (v: number[]) => v.reduce((a, b) => a + b) / v.length;
    expect(mean(summer)).toBeGreaterThan(mean(winter) + 2000);
    expect(Math.min(...winter, ...summer)).toBeGreaterThanOrEqual(420);
    expect(Math.max(...summer) - Math.min(...summer)).toBeGreaterThan(500);
  });

  it('raises spring discharge after storms and lets it recede to base flow', () => {
    const spring = signal({
      type: 'rain-response',
      base: 45,
      peak: 220,
      stormsPerDay: 0.2,
      lagHours: 4,
      riseHours: 3,
      recessionHours: 30,
    });
    const values = series(spring, 7, START, 120, HOUR);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(45);
    expect(Math.min(...values)).toBeLessThan(50);
    expect(Math.max(...values)).toBeGreaterThan(200);
    expect(Math.max(...values)).toBeLessThan(45 + 220 * 4 * 3);
    // After the largest peak, the flow falls back over the following days.
    const peakAt = values.indexOf(Math.max(...values));
    const later = values.slice(peakAt, peakAt + 240);
    const peak = values[peakAt] as number;
    expect(Math.min(...later)).toBeLessThan(45 + (peak - 45) / 2);
  });

  it('grows ice on nights only and sheds it; tension follows the ice load', () => {
    const params = { episodesPerNight: 0.4, typicalThicknessMm: 15 };
    const ice = signal({ type: 'ice-thickness', ...params, noise: 0 });
    const tension = signal({ type: 'conductor-tension', ...params, bareTension: 32 });
    const parsedIce = ice as Extract<Signal, { type: 'ice-thickness' }>;
    let growingHours = 0;
    for (let t = START; t < START + 60 * DAY; t += HOUR) {
      const now = iceThicknessMm(t, 3, parsedIce);
      const before = iceThicknessMm(t - HOUR, 3, parsedIce);
      if (now > before + 1e-9) {
        growingHours += 1;
        const localHour = new Date(t + 8 * HOUR).getUTCHours();
        // Episodes start 18:00-02:00 local and grow for 8 h at most.
        expect(localHour >= 18 || localHour <= 11).toBe(true);
      }
    }
    expect(growingHours).toBeGreaterThan(50);
    const thickness = series(ice, 3, START, 60, HOUR);
    const tensions = series(tension, 3, START, 60, HOUR);
    expect(Math.min(...thickness)).toBe(0);
    expect(Math.max(...thickness)).toBeGreaterThan(10);
    expect(Math.max(...thickness)).toBeLessThan(60);
    const bareIndex = thickness.indexOf(0);
    const iceIndex = thickness.indexOf(Math.max(...thickness));
    expect(tensions[bareIndex]).toBeCloseTo(32, 5);
    expect(tensions[iceIndex]).toBeGreaterThan(45);
  });

  it('loads the suspension point with the conductor weight plus the ice, which the ice expression recovers', () => {
    const params = { episodesPerNight: 0.4, typicalThicknessMm: 15 };
    const ice = signal({ type: 'ice-thickness', ...params, noise: 0 });
    const conductor = { conductorDiameterMm: 26.8, conductorWeightNPerM: 13.3 };
    const load = signal({ type: 'conductor-load', ...params, ...conductor, weightSpanM: 400 });
    const thickness = series(ice, 3, START, 30, HOUR);
    const loads = series(load, 3, START, 30, HOUR);
    const bareKn = (13.3 * 400) / 1000;
    expect(loads[thickness.indexOf(0)]).toBeCloseTo(bareKn, 9);
    const iced = thickness.indexOf(Math.max(...thickness));
    // The reference config's derived channel: b = (-d + sqrt(d^2 + 4 w / (pi rho g))) / 2.
    const iceWeightPerM = (((loads[iced] as number) - bareKn) * 1000) / 400;
    const d = 0.0268;
    const b = (-d + Math.sqrt(d * d + (4 * iceWeightPerM) / (Math.PI * 900 * 9.81))) / 2;
    expect(b * 1000).toBeCloseTo(thickness[iced] as number, 6);
  });

  it('keeps wind speed non-negative and direction in [0, 360)', () => {
    const speed = series(signal({ type: 'wind-speed', mean: 6 }), 9, START, 5, 10 * 60_000);
    const direction = series(
      signal({ type: 'wind-direction', prevailing: 350, spread: 40 }),
      9,
      START,
      5,
      10 * 60_000,
    );
    expect(Math.min(...speed)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...speed)).toBeLessThan(30);
    expect(Math.min(...direction)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...direction)).toBeLessThan(360);
  });
});

describe('SimulatorDriver', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('samples at start and then on a fixed grid, scaled by intervalScale', async () => {
    vi.useFakeTimers({ now: START });
    const driver: SimulatorDriverConfig = {
      type: 'simulator',
      seed: 1,
      decimals: 1,
      shiftDays: 0,
      signal: signal({ type: 'diurnal', mean: 10, amplitude: 3, noise: 0.5 }),
    };
    const sensor = { id: 'air-temp-1', quantity: 'air-temperature', unit: 'Cel', intervalMs: 60_000, driver };
    const samples: RawSample[] = [];
    const simulator = new SimulatorDriver({
      sensor,
      sink: { sample: (s) => samples.push(s), error: () => undefined },
      intervalScale: 0.1,
    });
    await simulator.start();
    vi.advanceTimersByTime(60_000);
    await simulator.stop();
    vi.advanceTimersByTime(60_000);
    expect(samples.map((s) => s.timeMs - START)).toEqual(Array.from({ length: 11 }, (_, i) => i * 6000));
    expect(samples[3]?.value).toBe(simulatedValue(driver, START + 18_000));
    expect(samples.every((s) => Number.isInteger(s.value * 10))).toBe(true);
  });
});
