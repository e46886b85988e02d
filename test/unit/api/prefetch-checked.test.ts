import { describe, expect, it } from 'vitest';
import { prefetchChecked } from '../../../api/routes/series/prefetch.js';

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

/** A source whose first item waits until it is released or cancelled, as a query's first chunk does. */
function gatedSource(signal: AbortSignal) {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  async function* items(): AsyncGenerator<number> {
    await Promise.race([
      released,
      new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
    ]);
    yield 1;
    yield 2;
  }
  return { items: items(), release };
}

describe('prefetchChecked', () => {
  it('gives the source once the check passes, its first item fetched meanwhile', async () => {
    const cancel = new AbortController();
    const { items, release } = gatedSource(cancel.signal);
    const check = Promise.resolve().then(release);
    expect(await collect(await prefetchChecked(check, items, () => cancel.abort()))).toEqual([1, 2]);
    expect(cancel.signal.aborted).toBe(false);
  });

  it('cancels the source while its first item is still awaited and throws the check failure', async () => {
    const cancel = new AbortController();
    const { items } = gatedSource(cancel.signal);
    const refused = new Error('RESULT_TOO_LARGE');
    await expect(prefetchChecked(Promise.reject(refused), items, () => cancel.abort())).rejects.toBe(refused);
    expect(cancel.signal.aborted).toBe(true);
  });

  it('throws the source failure when the check passes', async () => {
    const broken = new Error('INFLUX_UNREACHABLE');
    async function* failing(): AsyncGenerator<number> {
      yield* [];
      throw broken;
    }
    await expect(prefetchChecked(Promise.resolve(), failing(), () => {})).rejects.toBe(broken);
  });
});
