import { describe, expect, it } from 'vitest';
import type { Clock, Timer } from '../../../firmware-bridge/clock.js';
import type { RawSample } from '../../../firmware-bridge/drivers/driver.js';
import {
  type SimulatedSensorConfig,
  SimulatorDriver,
} from '../../../firmware-bridge/drivers/simulator/simulator-driver.js';

/** A clock the test sets by hand, holding the one pending timer so the test decides when it fires. */
class HandClock implements Clock {
  nowMs = 1_000;
  private pending: (() => void) | undefined;

  now(): number {
    return this.nowMs;
  }

  setTimeout(callback: () => void): Timer {
    this.pending = callback;
    return undefined as unknown as Timer;
  }

  clearTimeout(): void {
    this.pending = undefined;
  }

  fireAt(nowMs: number): void {
    this.nowMs = nowMs;
    const callback = this.pending;
    this.pending = undefined;
    callback?.();
  }
}

const SENSOR: SimulatedSensorConfig = {
  id: 'cave-t-1',
  quantity: 'temperature',
  unit: 'Cel',
  intervalMs: 20,
  driver: { type: 'simulator', seed: 1, decimals: 2, signal: { type: 'diurnal', mean: 10 } },
} as SimulatedSensorConfig;

describe('SimulatorDriver', () => {
  it('never samples twice within one millisecond, also when a late timer catches up', async () => {
    const clock = new HandClock();
    const samples: RawSample[] = [];
    const driver = new SimulatorDriver({
      sensor: SENSOR,
      clock,
      sink: { sample: (sample) => samples.push(sample), error: () => undefined },
    });
    await driver.start();
    // Late by 19 ms: the grid's next slot (1040) is 1 ms away, and that timer ends within 1039.
    clock.fireAt(1_039);
    clock.fireAt(1_039);
    clock.fireAt(1_040);
    await driver.stop();

    expect(samples.map((sample) => sample.timeMs)).toEqual([1_000, 1_039, 1_040]);
  });
});
