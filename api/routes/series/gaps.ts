/** A gap is more than this many sampling intervals without a point. */
export const GAP_FACTOR = 3;

/** [last point before the gap, first point after it], epoch ms. */
export type Gap = readonly [number, number];

export function isGap(previousMs: number, nextMs: number, intervalMs: number): boolean {
  return nextMs - previousMs > GAP_FACTOR * intervalMs;
}

/** Collects gaps from points that arrive in time order, one at a time, as a stream delivers them. */
export class GapTracker {
  readonly gaps: Gap[] = [];
  private previous: number | undefined;

  constructor(private readonly intervalMs: number) {}

  add(timeMs: number): void {
    if (this.previous !== undefined && isGap(this.previous, timeMs, this.intervalMs)) {
      this.gaps.push([this.previous, timeMs]);
    }
    this.previous = timeMs;
  }
}
