import type { Clock, Timer } from '../../clock.js';

/** A talker is silent for a sensor once it missed this many of the sensor's expected intervals. */
export const SILENCE_INTERVALS = 3;

export interface SilenceWatchOptions {
  /** Each sensor's expected cadence (its `intervalMs`). */
  intervals: ReadonlyMap<string, number>;
  clock: Clock;
  /** False while the port is closed: its own fault is reported then, not each sensor's silence. */
  listening(): boolean;
  onSilent(sensor: string, silentForMs: number): void;
}

/**
 * Push talkers send when they like; this notices when one stops sending what a sensor reads (a
 * sentence disabled, a cable pulled at the far end, a talker hung) and says so once per silent spell
 * of SILENCE_INTERVALS intervals.
 */
export class SilenceWatch {
  private readonly lastHeard = new Map<string, number>();
  private readonly tickMs: number;
  private timer: Timer | undefined;

  constructor(private readonly options: SilenceWatchOptions) {
    this.tickMs = Math.min(...options.intervals.values());
  }

  start(): void {
    this.restart();
    if (this.options.intervals.size > 0) this.schedule();
  }

  stop(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Every sensor starts a fresh spell now, e.g. when the port (re)opens. */
  restart(): void {
    const now = this.options.clock.now();
    for (const sensor of this.options.intervals.keys()) this.lastHeard.set(sensor, now);
  }

  heard(sensor: string): void {
    this.lastHeard.set(sensor, this.options.clock.now());
  }

  private schedule(): void {
    this.timer = this.options.clock.setTimeout(() => {
      this.check();
      this.schedule();
    }, this.tickMs);
  }

  private check(): void {
    const now = this.options.clock.now();
    if (!this.options.listening()) {
      this.restart();
      return;
    }
    for (const [sensor, intervalMs] of this.options.intervals) {
      const last = this.lastHeard.get(sensor) ?? now;
      if (now - last < SILENCE_INTERVALS * intervalMs) continue;
      this.lastHeard.set(sensor, now);
      this.options.onSilent(sensor, now - last);
    }
  }
}
