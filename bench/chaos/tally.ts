export interface Tally {
  /** Readings the publisher produced: acknowledged batches, or for a gateway what its drivers delivered. */
  produced: number;
  /** Rows InfluxDB holds for the publisher. */
  stored: number;
  /** Produced and not stored; a key produced twice (a sensor's two readings at one instant) needs two rows. */
  lost: number;
  /** Rows beyond what was produced of their key, rows of keys never produced among them. */
  duplicated: number;
  /** Of `duplicated`, the rows no publisher produced (a batch stored although never acknowledged). */
  neverProduced: number;
}

function counts(keys: readonly string[]): Map<string, number> {
  const counted = new Map<string, number>();
  for (const key of keys) counted.set(key, (counted.get(key) ?? 0) + 1);
  return counted;
}

/**
 * Compares by key (a reading's value, or its sensor and time), with multiplicity: InfluxDB keeps one
 * row per series and instant, so two readings of one key show as one lost, and a doubling shows only
 * as two rows of one key, or as a key never produced.
 */
export function tally(produced: readonly string[], stored: readonly string[]): Tally {
  const producedCounts = counts(produced);
  const storedCounts = counts(stored);
  let lost = 0;
  for (const [key, count] of producedCounts) lost += Math.max(0, count - (storedCounts.get(key) ?? 0));
  let duplicated = 0;
  let neverProduced = 0;
  for (const [key, count] of storedCounts) {
    const expected = producedCounts.get(key) ?? 0;
    duplicated += Math.max(0, count - expected);
    if (expected === 0) neverProduced += count;
  }
  return { produced: produced.length, stored: stored.length, lost, duplicated, neverProduced };
}
