import { z } from 'zod';
import { DAY_MS, diurnalCycle, HOUR_MS, seasonalCycle } from './calendar.js';
import { type EventProcess, eventsBefore, hashGaussian } from './random.js';

const STREAM = { co2Noise: 41, ventilation: 42, storms: 51, rainNoise: 52 } as const;
const STORM_SLOT_MS = 6 * HOUR_MS;

export const CaveCo2SignalSchema = z.strictObject({
  type: z.literal('cave-co2'),
  /** Yearly mean, ppm. */
  base: z.number().positive(),
  /** Karst caves breathe out CO2-rich air in summer: half the yearly swing, ppm. */
  seasonalAmplitude: z.number().default(0),
  seasonalPeakDay: z.number().min(1).max(366).default(220),
  /** Half the daily swing, ppm (small deep in a cave). */
  diurnalAmplitude: z.number().default(0),
  peakHour: z.number().min(0).max(24).default(16),
  /** Chance per day of a ventilation episode (cold outside air sinking in and flushing CO2). */
  ventilationPerDay: z.number().min(0).max(1).default(0.2),
  /** Largest fraction of the CO2 a ventilation episode removes. */
  ventilationDrop: z.number().min(0).max(0.9).default(0.3),
  ventilationHours: z.number().positive().default(10),
  /** Outside air, ppm: ventilation cannot push the cave below it. */
  floor: z.number().nonnegative().default(420),
  noise: z.number().nonnegative().default(0),
  utcOffsetHours: z.number().min(-12).max(14).default(8),
});

export const RainResponseSignalSchema = z.strictObject({
  type: z.literal('rain-response'),
  /** Dry-weather value (base flow, background drip rate). */
  base: z.number().nonnegative(),
  /** Rise above base caused by a storm of average depth. */
  peak: z.number().nonnegative(),
  stormsPerDay: z.number().min(0).max(4).default(0.15),
  /** Travel time from rain to the sensor through the karst. */
  lagHours: z.number().nonnegative().default(6),
  riseHours: z.number().positive().default(3),
  /** e-folding time of the recession after the peak. */
  recessionHours: z.number().positive().default(24),
  noise: z.number().nonnegative().default(0),
});

export type CaveCo2Signal = z.output<typeof CaveCo2SignalSchema>;
export type RainResponseSignal = z.output<typeof RainResponseSignalSchema>;

/** A bump of height 1 lasting `durationMs`, zero outside. */
function bump(sinceMs: number, durationMs: number): number {
  if (sinceMs < 0 || sinceMs > durationMs) return 0;
  return Math.sin((Math.PI * sinceMs) / durationMs) ** 2;
}

/** Cave air CO2: yearly and daily cycles, cut down by ventilation episodes. */
export function caveCo2Signal(timeMs: number, seed: number, p: CaveCo2Signal): number {
  const ventilation: EventProcess = {
    seed,
    stream: STREAM.ventilation,
    slotMs: DAY_MS,
    probability: p.ventilationPerDay,
  };
  const durationMs = p.ventilationHours * HOUR_MS;
  const flushed = eventsBefore(ventilation, timeMs, durationMs).reduce(
    (sum, event) =>
      sum + p.ventilationDrop * (0.5 + event.magnitude / 2) * bump(timeMs - event.startMs, durationMs),
    0,
  );
  const level =
    p.base +
    p.seasonalAmplitude * seasonalCycle(timeMs, p.seasonalPeakDay) +
    p.diurnalAmplitude * diurnalCycle(timeMs, p.peakHour, p.utcOffsetHours);
  const value = p.floor + (level - p.floor) * Math.max(0, 1 - flushed);
  return Math.max(p.floor, value + p.noise * hashGaussian(seed, STREAM.co2Noise, timeMs));
}

/** Unit response to one storm: nothing until the lag, a linear rise, then exponential recession. */
function stormResponse(sinceMs: number, p: RainResponseSignal): number {
  const afterLag = sinceMs - p.lagHours * HOUR_MS;
  if (afterLag < 0) return 0;
  const riseMs = p.riseHours * HOUR_MS;
  if (afterLag < riseMs) return afterLag / riseMs;
  return Math.exp(-(afterLag - riseMs) / (p.recessionHours * HOUR_MS));
}

/**
 * Drip rate or spring discharge: random storms (their depth exponentially distributed, mean 1)
 * each add a delayed hydrograph on top of the base flow. The same seed gives every sensor the
 * same storms, so a cave's drips and its spring answer the same rain.
 */
export function rainResponseSignal(timeMs: number, seed: number, p: RainResponseSignal): number {
  const storms: EventProcess = {
    seed,
    stream: STREAM.storms,
    slotMs: STORM_SLOT_MS,
    probability: p.stormsPerDay / (DAY_MS / STORM_SLOT_MS),
  };
  const lookbackMs = (p.lagHours + p.riseHours + 8 * p.recessionHours) * HOUR_MS;
  const response = eventsBefore(storms, timeMs, lookbackMs).reduce((sum, storm) => {
    const depth = Math.min(4, -Math.log(1 - storm.magnitude));
    return sum + depth * stormResponse(timeMs - storm.startMs, p);
  }, 0);
  const value = p.base + p.peak * response + p.noise * hashGaussian(seed, STREAM.rainNoise, timeMs);
  return Math.max(0, value);
}
