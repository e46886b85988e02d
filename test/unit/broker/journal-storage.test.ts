import { appendFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replayJournal } from '../../../broker/persistence/journal/journal-replay.js';
import { journalFile, openJournalStorage } from '../../../broker/persistence/journal/journal-storage.js';
import {
  type JournalPersistenceConfig,
  PersistenceConfigSchema,
} from '../../../broker/persistence/persistence-config.js';

const logger = pino({ level: 'silent' });
const ingest = { id: 'fs-ingest' };
let dir: string;

/** The calls of the aedes-persistence interface used here, in their promise form. */
interface Store {
  setup(broker: { id: string }): Promise<void>;
  addSubscriptions(client: { id: string }, subs: { topic: string; qos: number }[]): Promise<void>;
  outgoingEnqueueCombi(subs: { clientId: string }[], packet: object): Promise<void>;
  outgoingUpdate(client: { id: string }, packet: object): Promise<void>;
  outgoingClearMessageId(client: { id: string }, packet: { messageId: number }): Promise<unknown>;
  outgoingStream(client: {
    id: string;
  }): AsyncIterable<{ brokerCounter: number; messageId?: number; payload: Buffer }>;
  subscriptionsByClient(client: { id: string }): Promise<unknown[]>;
}

function config(overrides: Partial<JournalPersistenceConfig> = {}): JournalPersistenceConfig {
  const parsed = PersistenceConfigSchema.parse({ type: 'journal', dir: join(dir, 'journal'), ...overrides });
  if (parsed.type !== 'journal') throw new Error('not a journal config');
  return parsed;
}

async function open(overrides: Partial<JournalPersistenceConfig> = {}) {
  const storage = await openJournalStorage(config(overrides), logger);
  const store = storage.persistence as unknown as Store;
  await store.setup({ id: 'broker-1' });
  return { storage, store };
}

function publish(counter: number): object {
  return {
    cmd: 'publish',
    brokerId: 'broker-1',
    brokerCounter: counter,
    topic: 'fs/v1/jinfo/cave-1/readings',
    payload: Buffer.from(`m${counter}`),
    qos: 1,
    retain: false,
  };
}

async function queued(store: Store): Promise<[number, number | undefined, string][]> {
  const packets: [number, number | undefined, string][] = [];
  for await (const packet of store.outgoingStream(ingest)) {
    packets.push([packet.brokerCounter, packet.messageId, packet.payload.toString()]);
  }
  return packets;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-journal-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the broker journal store', () => {
  it('gives back after a restart what it had: subscriptions, the queue, packet ids of what was sent', async () => {
    const first = await open();
    await first.store.addSubscriptions(ingest, [{ topic: 'fs/v1/+/+/readings', qos: 1 }]);
    for (const counter of [1, 2, 3])
      await first.store.outgoingEnqueueCombi([{ clientId: ingest.id }], publish(counter));
    await first.store.outgoingUpdate(ingest, { ...publish(1), messageId: 41 });
    await first.store.outgoingUpdate(ingest, { ...publish(2), messageId: 42 });
    await first.store.outgoingClearMessageId(ingest, { messageId: 41 });
    await first.storage.close();

    const second = await open();
    expect(await second.store.subscriptionsByClient(ingest)).toEqual([
      { topic: 'fs/v1/+/+/readings', qos: 1 },
    ]);
    expect(await queued(second.store)).toEqual([
      [2, 42, 'm2'],
      [3, undefined, 'm3'],
    ]);
    await second.storage.close();
  });

  it('has a queued message in the file when its enqueue resolves, before any close (fsync always)', async () => {
    const { storage, store } = await open({ fsync: 'always' });
    await store.outgoingEnqueueCombi([{ clientId: ingest.id }], publish(1));
    const replayed = await replayJournal(journalFile(config().dir));
    expect(replayed.state.queued(ingest.id)).toHaveLength(1);
    await storage.close();
  });

  it('cuts off a torn last frame at start, counts it, and appends after the intact part', async () => {
    const first = await open();
    await first.store.outgoingEnqueueCombi([{ clientId: ingest.id }], publish(1));
    await first.storage.close();
    const file = journalFile(config().dir);
    const intact = (await stat(file)).size;
    await appendFile(file, 'J 500 0badc0de\n{"t":"enqueue","cli');

    const replayed = await replayJournal(file);
    expect(replayed).toMatchObject({ records: 1, intactBytes: intact, tornBytes: 34 });
    expect((await stat(file)).size).toBe(intact);

    const second = await open();
    await second.store.outgoingEnqueueCombi([{ clientId: ingest.id }], publish(2));
    await second.storage.close();
    const third = await open();
    expect((await queued(third.store)).map(([counter]) => counter)).toEqual([1, 2]);
    await third.storage.close();
  });

  it('rewrites the journal as a snapshot once it has grown, keeping the state', async () => {
    const { storage, store } = await open({ compactAfterBytes: 2_000 });
    for (let counter = 1; counter <= 200; counter++) {
      await store.outgoingEnqueueCombi([{ clientId: ingest.id }], publish(counter));
      await store.outgoingUpdate(ingest, { ...publish(counter), messageId: counter });
      await store.outgoingClearMessageId(ingest, { messageId: counter });
    }
    await store.outgoingEnqueueCombi([{ clientId: ingest.id }], publish(201));
    await storage.close();
    const file = journalFile(config().dir);
    expect((await stat(file)).size).toBeLessThan(4_000);
    const replayed = await replayJournal(file);
    expect(replayed.state.queued(ingest.id).map((packet) => packet.brokerCounter)).toEqual([201]);
    expect((await readFile(file, 'latin1')).startsWith('J ')).toBe(true);
  });

  it('refuses a second broker on the same directory until the first has closed', async () => {
    const first = await open();
    await expect(openJournalStorage(config(), logger)).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      context: { file: config().dir },
      message: expect.stringContaining('another broker'),
    });
    await first.storage.close();
    const again = await open();
    await again.storage.close();
  });
});
