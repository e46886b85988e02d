export interface Tally {
  /** Readings the publisher produced: acknowledged batches, or for a gateway what its drivers delivered. */
  produced: number;
  /** Rows InfluxDB holds for the publisher. */
  stored: number;
  /** Produced and not stored. */
  lost: number;
  /** Rows beyond the first of a reading, plus rows of readings never produced. */
  duplicated: number;
  /** Of `duplicated`, the rows no publisher produced (a batch stored although never acknowledged). */
  neverProduced: number;
}

/**
 * Compares by key (a reading's value, or its sensor and time): a reading InfluxDB overwrote with
 * itself is one row, so doubling shows only as two rows of one key, or as a key never produced.
 */
export function tally(produced: readonly string[], stored: readonly string[]): Tally {
  const storedKeys = new Set(stored);
  const producedKeys = new Set(produced);
  const lost = [...producedKeys].filter((key) => !storedKeys.has(key)).length;
  const neverProduced = [...storedKeys].filter((key) => !producedKeys.has(key)).length;
  return {
    produced: producedKeys.size,
    stored: stored.length,
    lost,
    duplicated: stored.length - storedKeys.size + neverProduced,
    neverProduced,
  };
}
