import { describe, expect, it } from 'vitest';
import { BENCH_SENSORS, loadBatch, syntheticTime } from '../../../bench/batches.js';
import { READINGS_VERSION, ReadingsBatchSchema } from '../../../protocol/index.js';

describe('loadBatch', () => {
  it('is the text JSON.stringify makes of the message, and a valid readings batch', () => {
    const origin = Date.UTC(2026, 11, 1);
    for (const [batch, seq] of [
      [1, 1],
      [50, 7],
      [3, 123456],
    ] as const) {
      const readings = Array.from({ length: batch }, (_, index) => ({
        sensor: BENCH_SENSORS.load,
        quantity: 'load',
        unit: '1',
        value: index,
        time: syntheticTime(origin, batch, seq, index),
        qc: 1,
      }));
      const text = loadBatch(origin, batch, seq);
      expect(text).toBe(JSON.stringify({ v: READINGS_VERSION, seq, readings }));
      expect(ReadingsBatchSchema.parse(JSON.parse(text)).readings).toHaveLength(batch);
    }
  });
});
