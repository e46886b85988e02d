import { describe, expect, it } from 'vitest';
import { storeInOrder } from '../../../broker/durability/store-in-order.js';

/** A store whose writes finish in whatever order the test releases them. */
function unorderedStore() {
  const pending = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  const write = (key: string) =>
    new Promise<void>((resolve, reject) => {
      pending.set(key, { resolve, reject });
    });
  const store = {
    outgoingEnqueueCombi: (_subs: unknown[], packet: { id: string }) => write(`enqueue ${packet.id}`),
    outgoingUpdate: (client: { id: string }, packet: { id: string }) =>
      write(`update ${client.id} ${packet.id}`),
    outgoingStream: () => 'untouched',
  };
  return {
    store,
    finish: (key: string) => pending.get(key)?.resolve(),
    fail: (key: string) => pending.get(key)?.reject(new Error(`${key} failed`)),
  };
}

describe('storeInOrder', () => {
  it('reports writes in the order they were made, however they finish', async () => {
    const { store, finish } = unorderedStore();
    const ordered = storeInOrder(store);
    const done: string[] = [];
    const calls = ['a', 'b', 'c'].map((id) =>
      ordered.outgoingEnqueueCombi([], { id }).then(() => done.push(id)),
    );
    finish('enqueue c');
    finish('enqueue b');
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toEqual([]);
    finish('enqueue a');
    await Promise.all(calls);
    expect(done).toEqual(['a', 'b', 'c']);
    expect(ordered.outgoingStream()).toBe('untouched');
  });

  it('keeps each session in order without one session waiting for another, and passes failures on in turn', async () => {
    const { store, finish, fail } = unorderedStore();
    const ordered = storeInOrder(store);
    const done: string[] = [];
    const first = ordered.outgoingUpdate({ id: 's1' }, { id: '1' }).then(() => done.push('s1/1'));
    const second = ordered.outgoingUpdate({ id: 's1' }, { id: '2' }).then(
      () => done.push('s1/2'),
      (error: Error) => done.push(error.message),
    );
    const other = ordered.outgoingUpdate({ id: 's2' }, { id: '1' }).then(() => done.push('s2/1'));
    fail('update s1 2');
    finish('update s2 1');
    await other;
    expect(done).toEqual(['s2/1']);
    finish('update s1 1');
    await Promise.all([first, second]);
    expect(done).toEqual(['s2/1', 's1/1', 'update s1 2 failed']);
  });

  it('passes on the failure of a write made while none was pending, and the next write does not wait on it', async () => {
    const { store, finish, fail } = unorderedStore();
    const ordered = storeInOrder(store);
    const first = ordered.outgoingEnqueueCombi([], { id: 'a' });
    const second = ordered.outgoingEnqueueCombi([], { id: 'b' });
    fail('enqueue a');
    await expect(first).rejects.toThrow('enqueue a failed');
    finish('enqueue b');
    await expect(second).resolves.toBeUndefined();
    const third = ordered.outgoingEnqueueCombi([], { id: 'c' });
    finish('enqueue c');
    await expect(third).resolves.toBeUndefined();
  });
});
