import { z } from 'zod';
import { diurnalCycle, HOUR_MS, seasonalCycle } from './calendar.js';
import { hashGaussian, smoothNoise } from './random.js';

// Streams keep each signal's randomness apart, so two signals with the same seed are not copies.
const STREAM = { diurnal: 11, windSlow: 21, windGust: 22, direction: 31, directionNoise: 32 } as const;

// Both stations are in China (UTC+8); solar noon differs by well under an hour.
const UTC_OFFSET = z.number().min(-12).max(14).default(8);

export const DiurnalSignalSchema = z.strictObject({
  type: z.literal('diurnal'),
  mean: z.number(),
  /** Half the daily swing. Negative for quantities that dip when others peak. */
  amplitude: z.number().default(0),
  /** Local hour of the daily maximum. */
  peakHour: z.number().min(0).max(24).default(14),
  /** Half the yearly swing of the daily mean. */
  seasonalAmplitude: z.number().default(0),
  /** Day of year (1-366) of the yearly maximum. */
  seasonalPeakDay: z.number().min(1).max(366).default(200),
  /** Standard deviation of the sample-to-sample noise. */
  noise: z.number().nonnegative().default(0),
  utcOffsetHours: UTC_OFFSET,
  /** Physical bounds, e.g. 0 and 100 for relative humidity. */
  min: z.number().optional(),
  max: z.number().optional(),
});

export const WindSpeedSignalSchema = z.strictObject({
  type: z.literal('wind-speed'),
  mean: z.number().nonnegative(),
  /** How far the hourly mean wanders around `mean`, as a fraction of it. */
  variability: z.number().min(0).max(1).default(0.6),
  /** Standard deviation of gusts on top of the hourly mean. */
  gustiness: z.number().nonnegative().default(1),
  /** Afternoon strengthening, in the unit of `mean`. */
  diurnalAmplitude: z.number().default(0.5),
  utcOffsetHours: UTC_OFFSET,
});

export const WindDirectionSignalSchema = z.strictObject({
  type: z.literal('wind-direction'),
  /** Prevailing direction the wind comes from, degrees from north. */
  prevailing: z.number().min(0).max(360),
  /** How far the direction swings either side of the prevailing one over hours. */
  spread: z.number().min(0).max(180).default(45),
  noise: z.number().nonnegative().default(5),
});

export type DiurnalSignal = z.output<typeof DiurnalSignalSchema>;
export type WindSpeedSignal = z.output<typeof WindSpeedSignalSchema>;
export type WindDirectionSignal = z.output<typeof WindDirectionSignalSchema>;

function clamp(value: number, min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY): number {
  return Math.min(max, Math.max(min, value));
}

/** Temperature, humidity, conductivity and the like: a daily and a yearly cosine plus noise. */
export function diurnalSignal(timeMs: number, seed: number, p: DiurnalSignal): number {
  const value =
    p.mean +
    p.seasonalAmplitude * seasonalCycle(timeMs, p.seasonalPeakDay) +
    p.amplitude * diurnalCycle(timeMs, p.peakHour, p.utcOffsetHours) +
    p.noise * hashGaussian(seed, STREAM.diurnal, timeMs);
  return clamp(value, p.min, p.max);
}

/** Wind speed: an hourly wandering mean, stronger in the afternoon, with gusts; never negative. */
export function windSpeedSignal(timeMs: number, seed: number, p: WindSpeedSignal): number {
  const wander = 1 + p.variability * (2 * smoothNoise(seed, STREAM.windSlow, timeMs, HOUR_MS) - 1);
  const value =
    p.mean * wander +
    p.diurnalAmplitude * diurnalCycle(timeMs, 15, p.utcOffsetHours) +
    p.gustiness * hashGaussian(seed, STREAM.windGust, timeMs);
  return Math.max(0, value);
}

/** Wind direction in [0, 360): swings slowly around the prevailing direction. */
export function windDirectionSignal(timeMs: number, seed: number, p: WindDirectionSignal): number {
  const swing = p.spread * (2 * smoothNoise(seed, STREAM.direction, timeMs, 3 * HOUR_MS) - 1);
  const value = p.prevailing + swing + p.noise * hashGaussian(seed, STREAM.directionNoise, timeMs);
  return ((value % 360) + 360) % 360;
}
