import { describe, expect, it } from 'vitest';
import { InfluxError, type LineWriter } from '../../../influx/index.js';
import { RetryPolicySchema } from '../../../ingest/store/retry-policy.js';
import { StoreAbortedError, storeLines } from '../../../ingest/store/store-batch.js';

class ScriptedWriter implements LineWriter {
  calls = 0;
  constructor(private readonly failures: InfluxError[]) {}
  async write(): Promise<void> {
    this.calls++;
    const failure = this.failures.shift();
    if (failure) throw failure;
  }
  async close(): Promise<void> {}
}

const fast = RetryPolicySchema.parse({ initialDelayMs: 1, maxDelayMs: 2, jitter: 0 });
const unreachable = (): InfluxError => new InfluxError('INFLUX_UNREACHABLE', 'connection refused', true);

describe('storeLines', () => {
  it('retries retryable failures until the write succeeds', async () => {
    const writer = new ScriptedWriter([unreachable(), unreachable()]);
    const retries: number[] = [];
    const signal = new AbortController().signal;
    await storeLines(writer, ['x'], 'ms', {
      policy: fast,
      signal,
      onRetry: (notice) => retries.push(notice.attempt),
    });
    expect(writer.calls).toBe(3);
    expect(retries).toEqual([1, 2]);
  });

  it('never retries a rejected write (400)', async () => {
    const rejected = new InfluxError('INFLUX_WRITE_REJECTED', 'field type conflict', false, 400);
    const writer = new ScriptedWriter([rejected]);
    const signal = new AbortController().signal;
    await expect(storeLines(writer, ['x'], 'ms', { policy: fast, signal, onRetry: () => {} })).rejects.toBe(
      rejected,
    );
    expect(writer.calls).toBe(1);
  });

  it('stops retrying when aborted, with the message left unstored', async () => {
    const writer = new ScriptedWriter(Array.from({ length: 100 }, unreachable));
    const controller = new AbortController();
    const slow = { ...fast, initialDelayMs: 60_000, maxDelayMs: 60_000 };
    const stored = storeLines(writer, ['x'], 'ms', {
      policy: slow,
      signal: controller.signal,
      onRetry: () => controller.abort(),
    });
    await expect(stored).rejects.toBeInstanceOf(StoreAbortedError);
    expect(writer.calls).toBe(1);
  });
});
