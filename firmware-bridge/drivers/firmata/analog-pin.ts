import type { Clock } from '../../clock.js';
import { type FirmataIo, type J5Board, type J5Sensor, Sensor, withIntervals } from './johnny-five.js';
import type { AnalogState } from './readouts.js';
import type { AnalogPinPlan } from './sensor-plan.js';

/** A 10-bit ADC, for a board whose capability report gave no resolution. */
const DEFAULT_RESOLUTION = 1023;

/**
 * One analog input read through a Johnny-Five Sensor, which switches the board's reporting on and
 * keeps the latest value. When each value arrived is taken from the byte stream, so a pin the board
 * stopped reporting is noticed instead of its last value repeating forever.
 */
export class AnalogPin {
  private sensor: J5Sensor | undefined;
  private intervals: ReturnType<typeof setInterval>[] = [];
  private readonly freshness: { sinceMs: number; lastAtMs?: number };

  constructor(
    readonly plan: AnalogPinPlan,
    private readonly io: FirmataIo,
    private readonly clock: Clock,
  ) {
    this.freshness = { sinceMs: clock.now() };
  }

  /** Whether the board has this analog input at all (from its analog mapping). */
  get exists(): boolean {
    return this.plan.channel < this.io.analogPins.length;
  }

  /** Starts reporting; every `freqMs` Johnny-Five empties the buffer its median filter fills. */
  start(board: J5Board, freqMs: number): void {
    const { value, intervals } = withIntervals(
      () => new Sensor({ board, pin: this.plan.pin, freq: freqMs, type: 'analog' }),
    );
    this.sensor = value;
    this.intervals = intervals;
    this.freshness.sinceMs = this.clock.now();
  }

  onReport(): void {
    if (this.sensor !== undefined) this.freshness.lastAtMs = this.clock.now();
  }

  state(): AnalogState | undefined {
    if (this.sensor === undefined) return undefined;
    return {
      pin: this.plan.pin,
      value: this.sensor.value,
      resolution: this.io.RESOLUTION.ADC ?? DEFAULT_RESOLUTION,
      ...this.freshness,
    };
  }

  dispose(): void {
    for (const interval of this.intervals) clearInterval(interval);
    this.intervals = [];
    this.sensor?.removeAllListeners();
    this.sensor = undefined;
  }
}
