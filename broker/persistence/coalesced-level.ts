/** The part of an abstract-level database (classic-level) that the coalescing view writes and reads through. */
export interface LevelStore {
  get(key: string, options: object): Promise<Uint8Array | undefined>;
  batch(operations: LevelOperation[], options: object): Promise<void>;
  values(options: object): AsyncIterable<Uint8Array>;
  clear(range: object): Promise<void>;
  close(): Promise<void>;
}

export type LevelOperation = { type: 'put'; key: string; value: Uint8Array } | { type: 'del'; key: string };

/** The chained form of `batch()`, as aedes-persistence-level uses it. */
export interface ChainedBatch {
  put(key: string, value: Uint8Array): ChainedBatch;
  del(key: string): ChainedBatch;
  write(): Promise<void>;
}

export interface CoalescedLevelOptions {
  /** Values kept after their write for the reads that follow it (a queued packet is read back at once). */
  cacheBytes: number;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The operation with its value in a buffer of its own size. msgpack (in aedes-persistence-level)
 * hands out 250-byte slices of 2 KiB chunks; kept in the queue and the cache they would hold the
 * whole chunk, and live long enough to reach the old generation, which is collected seldom.
 */
function exactCopy(operation: LevelOperation): LevelOperation {
  if (operation.type === 'del') return operation;
  const value = Buffer.allocUnsafeSlow(operation.value.byteLength);
  value.set(operation.value);
  return { type: 'put', key: operation.key, value };
}

/** aedes-persistence-level stores every value as a Buffer. */
const BUFFER_VALUES = { valueEncoding: 'buffer' } as const;

/**
 * A view of a LevelDB database for aedes-persistence-level in which every put and delete made during
 * one turn of the event loop goes to LevelDB as one batch, and values just written are read back
 * from memory. For each QoS 1 message to a persistent session that store makes three puts, two gets
 * and a batch, each a round trip to LevelDB's thread pool; in the pipeline benchmark they took more
 * than half of the process's main thread. Each write still resolves only once LevelDB has taken the
 * batch that holds it (the same promise as a put of its own: in the OS, not fsynced), batches are
 * written one after the other in the order their operations were made, and a read sees every write
 * made before it, written or not. Range reads and clears wait until every earlier write is written.
 */
export class CoalescedLevel {
  /** Writes not yet taken by LevelDB: the latest operation on each key, which reads must see. */
  private readonly pending = new Map<string, LevelOperation>();
  /** Values LevelDB has taken, oldest first, within `cacheBytes`. */
  private readonly cache = new Map<string, Uint8Array>();
  private cachedBytes = 0;
  /** The next batch: the last operation on each key (one batch is atomic, so earlier ones need not go). */
  private queue = new Map<string, LevelOperation>();
  private waiters: Waiter[] = [];
  /** The batch LevelDB is writing now; settles (never rejects) when it is done. */
  private writing: Promise<void> | undefined;
  private scheduled = false;

  constructor(
    private readonly db: LevelStore,
    private readonly options: CoalescedLevelOptions,
  ) {}

  get(key: string, options: object): Promise<Uint8Array | undefined> {
    const latest = this.pending.get(key);
    if (latest !== undefined) return Promise.resolve(latest.type === 'put' ? latest.value : undefined);
    const cached = this.cache.get(key);
    if (cached !== undefined) return Promise.resolve(cached);
    return this.db.get(key, options);
  }

  put(key: string, value: Uint8Array): Promise<void> {
    return this.write([{ type: 'put', key, value }]);
  }

  del(key: string): Promise<void> {
    return this.write([{ type: 'del', key }]);
  }

  batch(operations: LevelOperation[]): Promise<void>;
  batch(): ChainedBatch;
  batch(operations?: LevelOperation[]): Promise<void> | ChainedBatch {
    if (operations !== undefined) return this.write(operations);
    const chained: LevelOperation[] = [];
    const chain: ChainedBatch = {
      put: (key, value) => {
        chained.push({ type: 'put', key, value });
        return chain;
      },
      del: (key) => {
        chained.push({ type: 'del', key });
        return chain;
      },
      write: () => this.write(chained),
    };
    return chain;
  }

  async *values(options: object): AsyncGenerator<Uint8Array> {
    await this.idle();
    yield* this.db.values(options);
  }

  async clear(range: { gte: string; lt: string }): Promise<void> {
    await this.idle();
    for (const key of [...this.cache.keys()]) {
      if (key >= range.gte && key < range.lt) this.uncache(key);
    }
    await this.db.clear(range);
  }

  async close(): Promise<void> {
    await this.idle();
    await this.db.close();
  }

  private write(given: readonly LevelOperation[]): Promise<void> {
    if (given.length === 0) return Promise.resolve();
    for (const operation of given.map(exactCopy)) {
      this.pending.set(operation.key, operation);
      this.uncache(operation.key);
      this.queue.delete(operation.key);
      this.queue.set(operation.key, operation);
    }
    const written = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.writing === undefined && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
    return written;
  }

  /** Writes what is queued as one batch; what is queued meanwhile follows as the next one. */
  private flush(): void {
    if (this.writing !== undefined || this.queue.size === 0) return;
    const operations = [...this.queue.values()];
    const waiters = this.waiters;
    this.queue = new Map();
    this.waiters = [];
    this.writing = this.db.batch(operations, BUFFER_VALUES).then(
      () => this.settle(operations, waiters, undefined),
      (error: unknown) => this.settle(operations, waiters, error),
    );
  }

  private settle(operations: readonly LevelOperation[], waiters: readonly Waiter[], error: unknown): void {
    for (const operation of operations) {
      // A later write of the same key is still on its way and stays what reads see.
      if (this.pending.get(operation.key) !== operation) continue;
      this.pending.delete(operation.key);
      if (error === undefined && operation.type === 'put') this.remember(operation.key, operation.value);
    }
    this.writing = undefined;
    for (const waiter of waiters) {
      if (error === undefined) waiter.resolve();
      else waiter.reject(error);
    }
    this.flush();
  }

  private remember(key: string, value: Uint8Array): void {
    if (value.byteLength > this.options.cacheBytes) return;
    this.cache.set(key, value);
    this.cachedBytes += value.byteLength;
    for (const [oldest, oldValue] of this.cache) {
      if (this.cachedBytes <= this.options.cacheBytes) break;
      this.cache.delete(oldest);
      this.cachedBytes -= oldValue.byteLength;
    }
  }

  private uncache(key: string): void {
    const value = this.cache.get(key);
    if (value === undefined) return;
    this.cache.delete(key);
    this.cachedBytes -= value.byteLength;
  }

  /** Resolves once every write made before the call has been taken by LevelDB (or failed). */
  private idle(): Promise<void> {
    if (this.queue.size > 0) {
      return new Promise((resolve) => this.waiters.push({ resolve, reject: () => resolve() }));
    }
    return this.writing ?? Promise.resolve();
  }
}
