import { z } from 'zod';
import { DAY_MS, HOUR_MS } from './calendar.js';
import { type EventProcess, eventsBefore, hashGaussian } from './random.js';

const STREAM = { episodes: 61, iceNoise: 62, tensionNoise: 63, loadNoise: 64 } as const;
const ICE_DENSITY_KG_M3 = 900;
const GRAVITY = 9.81;

const IcingEpisodesSchema = z.strictObject({
  /** Chance that a night brings an icing episode (freezing fog or drizzle on the conductor). */
  episodesPerNight: z.number().min(0).max(1).default(0.3),
  /** Radial ice thickness an average episode reaches, mm. */
  typicalThicknessMm: z.number().positive().default(12),
  growthHours: z.number().positive().default(8),
  holdHours: z.number().nonnegative().default(4),
  /** Ice sheds fast once the sun or wind gets to it. */
  shedHours: z.number().positive().default(1.5),
  utcOffsetHours: z.number().min(-12).max(14).default(8),
});

export const IceThicknessSignalSchema = IcingEpisodesSchema.extend({
  type: z.literal('ice-thickness'),
  noise: z.number().nonnegative().default(0.2),
});

export const ConductorTensionSignalSchema = IcingEpisodesSchema.extend({
  type: z.literal('conductor-tension'),
  /** Tension of the bare conductor at the reference temperature, in the sensor's unit (e.g. kN). */
  bareTension: z.number().positive(),
  conductorDiameterMm: z.number().positive().default(27.6),
  conductorWeightNPerM: z.number().positive().default(13.3),
  noise: z.number().nonnegative().default(0),
});

/**
 * The vertical load an insulator string carries: the conductor's weight over the weight span plus
 * the ice on it. What a load cell at the suspension point reads, and what the equivalent ice
 * thickness is computed back from.
 */
export const ConductorLoadSignalSchema = IcingEpisodesSchema.extend({
  type: z.literal('conductor-load'),
  /** Length of conductor whose weight this suspension point carries, m. */
  weightSpanM: z.number().positive(),
  conductorDiameterMm: z.number().positive().default(27.6),
  conductorWeightNPerM: z.number().positive().default(13.3),
  noise: z.number().nonnegative().default(0),
});

type IcingEpisodes = z.output<typeof IcingEpisodesSchema>;
export type ConductorLoadSignal = z.output<typeof ConductorLoadSignalSchema>;
export type IceThicknessSignal = z.output<typeof IceThicknessSignalSchema>;
export type ConductorTensionSignal = z.output<typeof ConductorTensionSignalSchema>;

function episodeProfile(sinceMs: number, p: IcingEpisodes): number {
  const since = sinceMs / HOUR_MS;
  if (since < 0) return 0;
  if (since < p.growthHours) return since / p.growthHours;
  const afterHold = since - p.growthHours - p.holdHours;
  if (afterHold < 0) return 1;
  return Math.max(0, 1 - afterHold / p.shedHours);
}

/** Radial ice thickness in mm without noise: episodes start between 18:00 and 02:00 local time. */
export function iceThicknessMm(timeMs: number, seed: number, p: IcingEpisodes): number {
  const offsetMs = p.utcOffsetHours * HOUR_MS;
  const nights: EventProcess = {
    seed,
    stream: STREAM.episodes,
    slotMs: DAY_MS,
    probability: p.episodesPerNight,
    startWindow: { from: 18 / 24, width: 8 / 24 },
  };
  const lookbackMs = (p.growthHours + p.holdHours + p.shedHours) * HOUR_MS + DAY_MS;
  // Slots are local days: shift into local time to find them, and back.
  return eventsBefore(nights, timeMs + offsetMs, lookbackMs).reduce((sum, episode) => {
    const thickness = p.typicalThicknessMm * (0.4 + 1.2 * episode.magnitude);
    return sum + thickness * episodeProfile(timeMs + offsetMs - episode.startMs, p);
  }, 0);
}

export function iceThicknessSignal(timeMs: number, seed: number, p: IceThicknessSignal): number {
  const ice = iceThicknessMm(timeMs, seed, p);
  if (ice === 0) return 0;
  return Math.max(0, ice + p.noise * hashGaussian(seed, STREAM.iceNoise, timeMs));
}

/**
 * Conductor tension follows the load per metre: bare weight plus the weight of a hollow ice
 * cylinder of radial thickness b. For a span with elastic stretch, tension grows roughly with the
 * load to the 2/3 power.
 */
export function conductorTensionSignal(timeMs: number, seed: number, p: ConductorTensionSignal): number {
  const b = iceThicknessMm(timeMs, seed, p) / 1000;
  const d = p.conductorDiameterMm / 1000;
  const iceWeight = ICE_DENSITY_KG_M3 * GRAVITY * Math.PI * b * (b + d);
  const loadRatio = (p.conductorWeightNPerM + iceWeight) / p.conductorWeightNPerM;
  return p.bareTension * loadRatio ** (2 / 3) + p.noise * hashGaussian(seed, STREAM.tensionNoise, timeMs);
}

/** Load in kN: (bare weight + ice weight per metre) x weight span. */
export function conductorLoadSignal(timeMs: number, seed: number, p: ConductorLoadSignal): number {
  const b = iceThicknessMm(timeMs, seed, p) / 1000;
  const d = p.conductorDiameterMm / 1000;
  const iceWeight = ICE_DENSITY_KG_M3 * GRAVITY * Math.PI * b * (b + d);
  const loadN = (p.conductorWeightNPerM + iceWeight) * p.weightSpanM;
  return loadN / 1000 + p.noise * hashGaussian(seed, STREAM.loadNoise, timeMs);
}
