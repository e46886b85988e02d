import { type Clock, systemClock, type Timer } from '../clock.js';

export interface BatcherOptions<T> {
  maxItems: number;
  /** Longest time the first item of a batch waits for company. */
  maxDelayMs: number;
  onBatch: (items: T[]) => void;
  clock?: Clock;
}

/**
 * Collects items into batches: a batch goes out when it holds `maxItems`, or `maxDelayMs` after its
 * first item arrived, whichever comes first. No I/O; the owner decides what a batch becomes.
 */
export class Batcher<T> {
  private items: T[] = [];
  private timer: Timer | undefined;
  private readonly clock: Clock;

  constructor(private readonly options: BatcherOptions<T>) {
    this.clock = options.clock ?? systemClock;
  }

  get size(): number {
    return this.items.length;
  }

  add(item: T): void {
    this.items.push(item);
    if (this.items.length >= this.options.maxItems) {
      this.flush();
    } else if (this.timer === undefined) {
      this.timer = this.clock.setTimeout(() => this.flush(), this.options.maxDelayMs);
    }
  }

  /** Emits what is pending now (nothing if empty) and cancels the delay timer. */
  flush(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.items.length === 0) return;
    const batch = this.items;
    this.items = [];
    this.options.onBatch(batch);
  }
}
