interface Sample {
  atMs: number;
  value: number;
}

/**
 * The per-second rate of a counter over a sliding window: samples are recorded (typically once a
 * second) and the rate is taken from the oldest sample still inside the window to the value now,
 * so a scrape sees traffic up to the moment it asks, not up to the last tick.
 */
export class RateWindow {
  readonly #windowMs: number;
  readonly #samples: Sample[] = [];

  constructor(windowMs: number) {
    this.#windowMs = windowMs;
  }

  record(atMs: number, value: number): void {
    this.#samples.push({ atMs, value });
    // Keep one sample at or before the window's start, so a full window is always spanned.
    while (this.#samples.length > 1 && (this.#samples[1]?.atMs ?? atMs) <= atMs - this.#windowMs) {
      this.#samples.shift();
    }
  }

  /** Events per second from the oldest kept sample to `value` at `atMs`; 0 before any sample. */
  perSecond(atMs: number, value: number): number {
    const oldest = this.#samples[0];
    if (oldest === undefined || atMs <= oldest.atMs) return 0;
    return ((value - oldest.value) * 1000) / (atMs - oldest.atMs);
  }
}
