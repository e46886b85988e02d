import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Batcher } from '../../../firmware-bridge/outbox/batcher.js';

describe('Batcher', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function batcher(maxItems: number, maxDelayMs: number) {
    const batches: number[][] = [];
    const b = new Batcher<number>({ maxItems, maxDelayMs, onBatch: (items) => batches.push(items) });
    return { b, batches };
  }

  it('emits a full batch at once', () => {
    const { b, batches } = batcher(3, 1000);
    for (const n of [1, 2, 3, 4]) b.add(n);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(b.size).toBe(1);
  });

  it('emits a partial batch maxDelayMs after its first item, not after its last', () => {
    const { b, batches } = batcher(10, 1000);
    b.add(1);
    vi.advanceTimersByTime(600);
    b.add(2);
    vi.advanceTimersByTime(399);
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(batches).toEqual([[1, 2]]);
    vi.advanceTimersByTime(5000);
    expect(batches).toEqual([[1, 2]]);
  });

  it('restarts the delay for the next batch and cancels it on a count flush', () => {
    const { b, batches } = batcher(2, 1000);
    b.add(1);
    b.add(2);
    vi.advanceTimersByTime(1000);
    expect(batches).toEqual([[1, 2]]);
    b.add(3);
    vi.advanceTimersByTime(1000);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('flush() emits what is pending and nothing when empty', () => {
    const { b, batches } = batcher(10, 1000);
    b.flush();
    b.add(7);
    b.flush();
    vi.advanceTimersByTime(2000);
    expect(batches).toEqual([[7]]);
  });
});
