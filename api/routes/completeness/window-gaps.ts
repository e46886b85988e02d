import { type Gap, isGap } from '../series/gaps.js';
import type { Window } from './windows.js';

/** Gaps listed per sensor row over the whole request; more are counted as truncation, not kept. */
export const GAP_LIST_LIMIT = 1000;

/**
 * Finds a sensor row's gaps from its reading times, fed in time order as a stream delivers them,
 * and files each under the windows it overlaps. A gap is /v1/series's: more than three announced
 * intervals without a reading. The range's edges count as readings, so a sensor that starts late or
 * stops early has a gap at the start or end; a gap across a window boundary is listed in each window,
 * cut to it, so a window the sensor was silent for lists the whole window.
 */
export class WindowGaps {
  /** Per window: [start, end] spans, each a reading or a window edge. */
  readonly gaps: Gap[][];
  /** Per window: whether spans of it went unlisted because the row reached GAP_LIST_LIMIT. */
  readonly truncated: boolean[];
  private previous: number;
  private window = 0;
  private listed = 0;

  constructor(
    private readonly windows: readonly Window[],
    private readonly intervalMs: number,
    private readonly limit = GAP_LIST_LIMIT,
  ) {
    this.gaps = windows.map(() => []);
    this.truncated = windows.map(() => false);
    this.previous = windows[0]?.startMs ?? 0;
  }

  add(timeMs: number): void {
    this.span(this.previous, timeMs);
    this.previous = timeMs;
  }

  /** Closes the last gap at the end of the range; call once, after the last reading. */
  finish(): void {
    const end = this.windows.at(-1)?.endMs;
    if (end !== undefined) this.span(this.previous, end);
  }

  private span(from: number, to: number): void {
    if (!isGap(from, to, this.intervalMs)) return;
    // Spans come in time order, so no later one starts in a window this one has passed.
    while (this.window < this.windows.length - 1 && (this.windows[this.window]?.endMs ?? 0) <= from) {
      this.window++;
    }
    for (let index = this.window; index < this.windows.length; index++) {
      const window = this.windows[index];
      if (window === undefined || window.startMs >= to) break;
      this.file(index, [Math.max(from, window.startMs), Math.min(to, window.endMs)]);
    }
  }

  private file(index: number, gap: Gap): void {
    if (this.listed >= this.limit) {
      this.truncated[index] = true;
      return;
    }
    this.gaps[index]?.push(gap);
    this.listed++;
  }
}
