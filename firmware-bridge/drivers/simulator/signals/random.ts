/**
 * Stateless randomness: every value is a hash of (seed, stream, keys), so a signal is a pure function
 * of time and the same seed replays the same weather on every machine.
 */

const TWO_POW_32 = 2 ** 32;

// lowbias32 (Chris Wellons, "Prospecting for hash functions"): full avalanche in two multiplies.
function mix32(input: number): number {
  let x = input >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A uniform number in [0, 1) determined by the seed and the keys (any safe integers). */
export function hashUnit(seed: number, ...keys: number[]): number {
  let h = mix32(seed ^ 0x9e3779b9);
  for (const key of keys) {
    // Keys such as epoch milliseconds exceed 32 bits: mix both halves.
    h = mix32(h ^ (key % TWO_POW_32));
    h = mix32(h ^ Math.floor(key / TWO_POW_32));
  }
  return h / TWO_POW_32;
}

/** A standard normal number (Box-Muller over two hashed uniforms). */
export function hashGaussian(seed: number, ...keys: number[]): number {
  const u1 = Math.max(hashUnit(seed, ...keys, 1), 1e-12);
  const u2 = hashUnit(seed, ...keys, 2);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Value noise in [0, 1) that drifts smoothly, with a new random knot every `periodMs`. */
export function smoothNoise(seed: number, stream: number, timeMs: number, periodMs: number): number {
  const position = timeMs / periodMs;
  const knot = Math.floor(position);
  const fraction = position - knot;
  const eased = fraction * fraction * (3 - 2 * fraction);
  const a = hashUnit(seed, stream, knot);
  const b = hashUnit(seed, stream, knot + 1);
  return a + (b - a) * eased;
}

export interface RandomEvent {
  startMs: number;
  /** Uniform in [0, 1): how strong this event is, for the signal to scale. */
  magnitude: number;
}

export interface EventProcess {
  seed: number;
  stream: number;
  slotMs: number;
  /** Chance that one slot holds an event. */
  probability: number;
  /** Offset and width, as fractions of the slot, of the window where an event may start. */
  startWindow?: { from: number; width: number };
}

/** Events that started in (timeMs - lookbackMs, timeMs]: at most one per slot, each slot decided by its hash. */
export function eventsBefore(process: EventProcess, timeMs: number, lookbackMs: number): RandomEvent[] {
  const { seed, stream, slotMs, probability } = process;
  const window = process.startWindow ?? { from: 0, width: 1 };
  const events: RandomEvent[] = [];
  const last = Math.floor(timeMs / slotMs);
  for (let slot = Math.floor((timeMs - lookbackMs) / slotMs); slot <= last; slot += 1) {
    if (hashUnit(seed, stream, slot, 0) >= probability) continue;
    const startMs = (slot + window.from + window.width * hashUnit(seed, stream, slot, 1)) * slotMs;
    if (startMs > timeMs || startMs <= timeMs - lookbackMs) continue;
    events.push({ startMs, magnitude: hashUnit(seed, stream, slot, 2) });
  }
  return events;
}
