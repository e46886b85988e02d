import { describe, expect, it } from 'vitest';
import { drainOptions, SPOOL_OPTIONS } from '../../../cli/option-sets.js';
import { parseCommandLine, UsageError } from '../../../cli/options.js';
import { IngestConfigSchema } from '../../../ingest/index.js';

function drainFrom(argv: string[], env: Record<string, string> = {}) {
  return drainOptions(parseCommandLine(SPOOL_OPTIONS, argv, env).values);
}

describe('--influx-batch-points', () => {
  it('is 20,000 unless the flag or FS_INFLUX_BATCH_POINTS says otherwise, and reaches the drain', () => {
    expect(drainFrom([])).toEqual({ batchLines: 20_000 });
    expect(drainFrom(['--influx-batch-points', '5000'])).toEqual({ batchLines: 5000 });
    expect(drainFrom([], { FS_INFLUX_BATCH_POINTS: '8000' })).toEqual({ batchLines: 8000 });
    const config = IngestConfigSchema.parse({
      mqtt: { url: 'mqtt://127.0.0.1:1883' },
      influx: { dialect: 'v1', url: 'http://127.0.0.1:8086' },
      dataDir: '/tmp/fs-drain-options',
      drain: drainFrom(['--influx-batch-points', '5000']),
    });
    expect(config.drain).toMatchObject({ batchLines: 5000, batchBytes: 4 * 1024 * 1024 });
  });

  it('names the flag and the variable when the value is not a positive whole number', () => {
    // As the environment variable too, since a flag's value that starts with a dash is parsed as a flag.
    expect(() => drainFrom([], { FS_INFLUX_BATCH_POINTS: '-5' })).toThrow(/FS_INFLUX_BATCH_POINTS/);
    for (const value of ['0', '2.5', 'many']) {
      expect(() => drainFrom(['--influx-batch-points', value])).toThrow(UsageError);
      expect(() => drainFrom(['--influx-batch-points', value])).toThrow(
        /--influx-batch-points \(FS_INFLUX_BATCH_POINTS\)/,
      );
    }
  });
});
