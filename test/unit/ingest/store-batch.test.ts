import { describe, expect, it } from 'vitest';
import { InfluxError, type LineWriter } from '../../../influx/index.js';
import { RetryPolicySchema, retryDelayMs } from '../../../ingest/store/retry-delay.js';
import { StoreAbortedError, storeLines } from '../../../ingest/store/store-batch.js';

const policy = RetryPolicySchema.parse({ initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.2 });

describe('retryDelayMs', () => {
  it('doubles from the initial delay and caps at the maximum', () => {
    const mid = (): number => 0.5;
    expect([1, 2, 3, 4, 5, 10].map((attempt) => retryDelayMs(attempt, policy, mid))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it('spreads the delay by ±jitter/2 and never exceeds the maximum', () => {
    expect(retryDelayMs(1, policy, () => 0)).toBe(90);
    expect(retryDelayMs(1, policy, () => 0.999999)).toBe(110);
    expect(retryDelayMs(8, policy, () => 0.999999)).toBe(1000);
    expect(retryDelayMs(8, policy, () => 0)).toBe(900);
  });

  it('is exact without jitter', () => {
    const exact = { ...policy, jitter: 0 };
    expect(retryDelayMs(3, exact, Math.random)).toBe(400);
  });
});

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
