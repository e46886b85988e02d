import { describe, expect, it } from 'vitest';
import {
  HISTORY_BATCH_LIMITS,
  historyBatches,
} from '../../../../firmware-bridge/backfill/history-batches.js';
import { historyReadings } from '../../../../firmware-bridge/backfill/history-readings.js';
import {
  historySamples,
  sampleCount,
  scheduledCounts,
} from '../../../../firmware-bridge/backfill/sample-schedule.js';
import { loadGatewayConfig } from '../../../../firmware-bridge/config/load.js';
import { simulatedValue } from '../../../../firmware-bridge/drivers/simulator/simulator-driver.js';
import { MAX_READINGS_PER_BATCH, type Reading, ReadingsBatchSchema } from '../../../../protocol/index.js';

const HOUR = 3_600_000;
// Not on a minute boundary, so the first sample of each grid is after the window's start.
const FROM = Date.UTC(2026, 11, 1, 0, 0, 7, 250);
const window = { fromMs: FROM, toMs: FROM + 2 * HOUR };

describe('the backfill schedule', () => {
  it('counts the multiples of the interval in [from, to)', () => {
    expect(sampleCount(60_000, { fromMs: 0, toMs: 3 * 60_000 })).toBe(3);
    expect(sampleCount(60_000, { fromMs: 1, toMs: 3 * 60_000 + 1 })).toBe(3);
    expect(sampleCount(60_000, { fromMs: 1, toMs: 60_000 })).toBe(0);
    expect(sampleCount(10_000, window)).toBe(720);
    expect(sampleCount(900_000, { fromMs: 5, toMs: 5 })).toBe(0);
  });

  it('yields each simulated sensor on its own grid, in time order, with the simulator value', async () => {
    const config = await loadGatewayConfig('config/simulate/jinfo.yaml');
    const samples = [...historySamples(config.sensors, window)];
    const times = samples.map((sample) => sample.timeMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(window.fromMs);
    expect(Math.max(...times)).toBeLessThan(window.toMs);
    const co2 = samples.filter((sample) => sample.sensor === 'cave-co2-1');
    expect(co2).toHaveLength(120);
    expect(co2.every((sample) => sample.timeMs % 60_000 === 0)).toBe(true);
    const driver = config.sensors.find((sensor) => sensor.id === 'cave-co2-1')?.driver;
    if (driver?.type !== 'simulator') throw new Error('cave-co2-1 is simulated');
    expect(co2[3]?.value).toBe(simulatedValue(driver, co2[3]?.timeMs ?? 0));
    // Derived sensors take no samples of their own.
    expect(samples.some((sample) => sample.sensor === 'spring-discharge-1')).toBe(false);
  });

  it.each([
    ['config/simulate/jinfo.yaml', 15],
    ['config/simulate/xuefeng.yaml', 12],
  ])(
    '%s: the gateway pipeline makes exactly the scheduled readings, derived ones included',
    async (file, sensors) => {
      const config = await loadGatewayConfig(file);
      const rejected: unknown[] = [];
      const readings = [
        ...historyReadings(config.sensors, historySamples(config.sensors, window), (r) => rejected.push(r)),
      ];
      const counts = new Map<string, number>();
      for (const reading of readings) counts.set(reading.sensor, (counts.get(reading.sensor) ?? 0) + 1);
      const expected = scheduledCounts(config.sensors, window);
      expect(expected.size).toBe(sensors);
      expect(counts).toEqual(expected);
      expect(rejected).toEqual([]);
      // Flags from the gateway's QC, not "not evaluated".
      expect(readings.every((reading) => reading.qc === 1)).toBe(true);
    },
  );

  it('computes derived channels as the gateway does: discharge from stage by the rating curve', async () => {
    const config = await loadGatewayConfig('config/simulate/jinfo.yaml');
    const readings = [...historyReadings(config.sensors, historySamples(config.sensors, window))];
    const at = (sensor: string) =>
      readings.find(
        (r) =>
          r.sensor === sensor && r.time === readings.find((s) => s.sensor === 'spring-discharge-1')?.time,
      );
    const stage = at('spring-stage-1')?.value ?? Number.NaN;
    expect(at('spring-discharge-1')?.value).toBeCloseTo(850 * Math.max(stage - 0.12, 0) ** 1.6, 9);
  });
});

function reading(i: number, sensor = 'wind-speed-1'): Reading {
  return { sensor, quantity: 'wind-speed', unit: 'm/s', value: i / 10, time: FROM + i * 10_000, qc: 1 };
}

describe('historyBatches', () => {
  it('cuts readings into batches of maxReadings, in order, the last one shorter', () => {
    const batches = [
      ...historyBatches(
        Array.from({ length: 25 }, (_, i) => reading(i)),
        { maxReadings: 10, maxBytes: 1e6 },
      ),
    ];
    expect(batches.map((batch) => batch.length)).toEqual([10, 10, 5]);
    expect(batches.flat().map((r) => r.value)).toEqual(Array.from({ length: 25 }, (_, i) => i / 10));
  });

  it('closes a batch before the payload passes maxBytes, and every batch passes the contract', () => {
    // Readings of one size: the same value, times of the same number of digits.
    const same = Array.from({ length: 9 }, (_, i) => ({ ...reading(i), value: 2.5 }));
    const size = JSON.stringify(same[0]).length + 1;
    const limits = { maxReadings: 1000, maxBytes: 64 + 4 * size + 2 };
    const batches = [...historyBatches(same, limits)];
    expect(batches.map((batch) => batch.length)).toEqual([4, 4, 1]);
    for (const [seq, readings] of batches.entries()) {
      const payload = JSON.stringify({ v: 1, seq, readings });
      expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(limits.maxBytes);
      expect(ReadingsBatchSchema.safeParse(JSON.parse(payload)).success).toBe(true);
    }
  });

  it('never exceeds the contract, whatever the limits say; nothing for no readings', () => {
    const many = Array.from({ length: MAX_READINGS_PER_BATCH + 1 }, (_, i) => reading(i));
    expect([...historyBatches(many, { maxReadings: 1e9, maxBytes: 1e9 })].map((b) => b.length)).toEqual([
      MAX_READINGS_PER_BATCH,
      1,
    ]);
    expect([...historyBatches([], HISTORY_BATCH_LIMITS)]).toEqual([]);
  });
});
