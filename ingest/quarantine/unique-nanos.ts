/**
 * Nanosecond timestamps that never repeat within the process, so two quarantine records with the
 * same tags (code, station) in the same millisecond stay two points instead of one overwriting the other.
 */
export class UniqueNanoClock {
  private last = 0n;

  next(nowMs: number): bigint {
    const candidate = BigInt(Math.trunc(nowMs)) * 1_000_000n;
    this.last = candidate > this.last ? candidate : this.last + 1n;
    return this.last;
  }
}
