import { describe, expect, it } from 'vitest';
import {
  CoalescedLevel,
  type LevelOperation,
  type LevelStore,
} from '../../../broker/persistence/coalesced-level.js';

/** A LevelDB stand-in whose batches complete only when the test says so. */
class HeldStore implements LevelStore {
  readonly data = new Map<string, Uint8Array>();
  readonly batches: LevelOperation[][] = [];
  private readonly held: { operations: LevelOperation[]; finish: (error?: Error) => void }[] = [];
  gets = 0;

  get(key: string): Promise<Uint8Array | undefined> {
    this.gets++;
    return Promise.resolve(this.data.get(key));
  }

  batch(operations: LevelOperation[]): Promise<void> {
    this.batches.push(operations);
    return new Promise((resolve, reject) => {
      this.held.push({
        operations,
        finish: (error) => {
          if (error) return reject(error);
          for (const op of operations) {
            if (op.type === 'put') this.data.set(op.key, op.value);
            else this.data.delete(op.key);
          }
          resolve();
        },
      });
    });
  }

  /** Completes the oldest batch LevelDB is writing. */
  finishNext(error?: Error): void {
    const next = this.held.shift();
    if (next === undefined) throw new Error('no batch in flight');
    next.finish(error);
  }

  get inFlight(): number {
    return this.held.length;
  }

  async *values(): AsyncGenerator<Uint8Array> {
    yield* [...this.data.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, value]) => value);
  }

  clear(range: { gte: string; lt: string }): Promise<void> {
    for (const key of [...this.data.keys()]) if (key >= range.gte && key < range.lt) this.data.delete(key);
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const bytes = (text: string): Uint8Array => Buffer.from(text);

describe('CoalescedLevel', () => {
  it('writes the puts and deletes of one turn as one batch, and resolves them once it is written', async () => {
    const store = new HeldStore();
    const level = new CoalescedLevel(store, { cacheBytes: 1024 });
    let settled = 0;
    const writes = [level.put('a', bytes('1')), level.del('b'), level.batch().put('c', bytes('3')).write()];
    for (const write of writes) void write.then(() => settled++);
    await turn();
    expect(store.batches).toEqual([
      [
        { type: 'put', key: 'a', value: bytes('1') },
        { type: 'del', key: 'b' },
        { type: 'put', key: 'c', value: bytes('3') },
      ],
    ]);
    expect(settled).toBe(0);
    store.finishNext();
    await Promise.all(writes);
    expect(store.data.get('c')).toEqual(bytes('3'));
  });

  it('reads every write made before, written or not, and reads values just written from memory', async () => {
    const store = new HeldStore();
    store.data.set('old', bytes('on disk'));
    const level = new CoalescedLevel(store, { cacheBytes: 1024 });
    const written = Promise.all([level.put('a', bytes('1')), level.del('old')]);
    expect(await level.get('a', {})).toEqual(bytes('1'));
    expect(await level.get('old', {})).toBeUndefined();
    await turn();
    store.finishNext();
    await written;
    expect(await level.get('a', {})).toEqual(bytes('1'));
    expect(store.gets).toBe(0);
    expect(await level.get('elsewhere', {})).toBeUndefined();
    expect(store.gets).toBe(1);
  });

  it('writes batches one after the other: what comes meanwhile waits, and only the last write of a key goes', async () => {
    const store = new HeldStore();
    const level = new CoalescedLevel(store, { cacheBytes: 1024 });
    const first = level.put('a', bytes('1'));
    await turn();
    const second = Promise.all([level.put('a', bytes('2')), level.put('b', bytes('x')), level.del('b')]);
    await turn();
    expect(store.inFlight).toBe(1);
    expect(await level.get('a', {})).toEqual(bytes('2'));
    store.finishNext();
    await first;
    // The first batch is written, but a later write of `a` is on its way: reads still see that one.
    expect(await level.get('a', {})).toEqual(bytes('2'));
    expect(store.batches[1]).toEqual([
      { type: 'put', key: 'a', value: bytes('2') },
      { type: 'del', key: 'b' },
    ]);
    store.finishNext();
    await second;
    expect(store.data.get('a')).toEqual(bytes('2'));
    expect(store.data.has('b')).toBe(false);
  });

  it('rejects the writes of a failed batch, and reads no longer see them', async () => {
    const store = new HeldStore();
    const level = new CoalescedLevel(store, { cacheBytes: 1024 });
    const write = level.put('a', bytes('1'));
    await turn();
    store.finishNext(new Error('disk full'));
    await expect(write).rejects.toThrow('disk full');
    expect(await level.get('a', {})).toBeUndefined();
    expect(store.gets).toBe(1);
  });

  it('keeps at most cacheBytes of written values, dropping the oldest', async () => {
    const store = new HeldStore();
    const level = new CoalescedLevel(store, { cacheBytes: 4 });
    const written = Promise.all([
      level.put('a', bytes('12')),
      level.put('b', bytes('34')),
      level.put('c', bytes('5')),
    ]);
    await turn();
    store.finishNext();
    await written;
    await level.get('b', {});
    await level.get('c', {});
    expect(store.gets).toBe(0);
    expect(await level.get('a', {})).toEqual(bytes('12'));
    expect(store.gets).toBe(1);
  });

  it('range reads and clears wait for every earlier write', async () => {
    const store = new HeldStore();
    const level = new CoalescedLevel(store, { cacheBytes: 1024 });
    void level.put('s:1', bytes('x'));
    const values: Uint8Array[] = [];
    const reading = (async () => {
      for await (const value of level.values({})) values.push(value);
    })();
    await turn();
    expect(values).toEqual([]);
    store.finishNext();
    await reading;
    expect(values).toEqual([bytes('x')]);
    await level.clear({ gte: 's:', lt: 's;' });
    expect(await level.get('s:1', {})).toBeUndefined();
  });
});
