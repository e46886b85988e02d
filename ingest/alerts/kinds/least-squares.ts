/** A sample of one sensor: [sample time ms, value]. */
export type Sample = readonly [number, number];

export interface Fit {
  /** Value per ms. */
  slope: number;
  /** The fitted value at the newest sample's time. */
  latest: number;
}

/**
 * Ordinary least-squares line through the samples. Chosen over first/last: a first/last difference
 * rests on two noisy readings (a gust shaking an ice sensor, a wave on a stage gauge), so one outlier
 * at either end swings it; the fit weighs every reading of the window. Times are taken relative to the
 * newest sample so epoch milliseconds do not cost precision.
 */
export function leastSquares(samples: readonly Sample[]): Fit | undefined {
  const n = samples.length;
  const last = samples[n - 1];
  if (n < 2 || last === undefined) return undefined;
  let sumT = 0;
  let sumV = 0;
  for (const [t, v] of samples) {
    sumT += t - last[0];
    sumV += v;
  }
  const meanT = sumT / n;
  const meanV = sumV / n;
  let stt = 0;
  let stv = 0;
  for (const [t, v] of samples) {
    const dt = t - last[0] - meanT;
    stt += dt * dt;
    stv += dt * (v - meanV);
  }
  if (stt === 0) return undefined;
  const slope = stv / stt;
  const latest = meanV + slope * (0 - meanT);
  // Readings near the float limit (1e307 passes the contract) overflow the sums: an infinite or NaN
  // slope would fire a rule whose event no one can read (the contract wants finite values).
  if (!Number.isFinite(slope) || !Number.isFinite(latest)) return undefined;
  return { slope, latest };
}

/** Most samples a window keeps per sensor: a 1 h window of 10 s readings is 360. */
export const MAX_WINDOW_SAMPLES = 720;

/**
 * How far a sample may be ahead of its arrival. The ingest stores readings up to a day ahead, but a
 * window ends at its newest sample: one reading from a clock 20 h fast would make every real reading
 * after it look like a replay, and the rule would be blind for 20 h (restarts included). As generous
 * as a threshold's default staleAfter, which already needs the clocks that close.
 */
export const MAX_SAMPLE_LEAD_MS = 15 * 60_000;

/**
 * Adds a sample in time order and drops what fell out of the window. A sample not newer than the
 * newest is a replay (redelivery, an outbox catching up on what we already have) and is ignored, as
 * is one further ahead of its arrival (`receivedAt`, when known) than MAX_SAMPLE_LEAD_MS.
 */
export function addSample(
  samples: readonly Sample[],
  sample: Sample,
  windowMs: number,
  receivedAt?: number,
): Sample[] | undefined {
  if (receivedAt !== undefined && sample[0] > receivedAt + MAX_SAMPLE_LEAD_MS) return undefined;
  const newest = samples[samples.length - 1];
  if (newest !== undefined && sample[0] <= newest[0]) return undefined;
  const from = sample[0] - windowMs;
  const kept = samples.filter(([t]) => t >= from);
  kept.push(sample);
  return kept.length > MAX_WINDOW_SAMPLES ? kept.slice(kept.length - MAX_WINDOW_SAMPLES) : kept;
}

/** How much of the window the samples cover. */
export function span(samples: readonly Sample[]): number {
  const first = samples[0];
  const last = samples[samples.length - 1];
  return first === undefined || last === undefined ? 0 : last[0] - first[0];
}
