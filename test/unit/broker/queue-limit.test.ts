import { describe, expect, it, vi } from 'vitest';
import { limitQueuedMessages } from '../../../broker/limits/queue-limit.js';
import { SessionQueueCounts } from '../../../broker/limits/session-queue-counts.js';
import { openMemoryStorage } from '../../../broker/persistence/memory-storage.js';

// The decorator against Aedes' real in-memory persistence, through the promise API Aedes 1.2 calls.
interface Queue {
  setup: (broker: object) => Promise<void>;
  cleanIncoming?: unknown;
  outgoingEnqueue(sub: { clientId: string }, packet: object): Promise<void>;
  outgoingEnqueueCombi(subs: { clientId: string }[], packet: object): Promise<void>;
  outgoingUpdate(client: { id: string }, packet: object): Promise<void>;
  outgoingClearMessageId(client: { id: string }, packet: object): Promise<unknown>;
  cleanSubscriptions(client: { id: string }): Promise<unknown>;
  outgoingStream(client: { id: string }): AsyncIterable<{ payload: Buffer; messageId?: number }>;
}

let counter = 0;
function message(payload: string): { topic: string; payload: Buffer; qos: 1; cmd: 'publish' } & object {
  counter += 1;
  return {
    cmd: 'publish',
    topic: 'fs/v1/jinfo/cave-1/readings',
    payload: Buffer.from(payload),
    qos: 1,
    brokerId: 'broker',
    brokerCounter: counter,
  } as never;
}

async function stored(queue: Queue, id: string): Promise<string[]> {
  const payloads: string[] = [];
  for await (const packet of queue.outgoingStream({ id })) payloads.push(packet.payload.toString());
  return payloads;
}

function setUp(
  maxQueued: number,
  connected: ReadonlySet<string> = new Set(),
  inner = openMemoryStorage().persistence,
) {
  const counts = new SessionQueueCounts(maxQueued);
  const dropped: [string, boolean][] = [];
  const queue = limitQueuedMessages(inner, {
    counts,
    isConnected: (clientId) => connected.has(clientId),
    onDropped: (clientId, _topic, first) => dropped.push([clientId, first]),
    onRecountFailed: (clientId, error) => {
      throw new Error(`recount of ${clientId} failed: ${String(error)}`);
    },
  }) as unknown as Queue;
  return { queue, counts, dropped, inner: inner as unknown as Queue };
}

describe('limitQueuedMessages', () => {
  it('stops storing for an offline session at its limit and goes on storing for the others', async () => {
    const { queue, dropped } = setUp(2, new Set(['online']));
    const subs = [{ clientId: 'offline' }, { clientId: 'online' }, { clientId: 'other' }];
    for (const payload of ['1', '2', '3', '4']) await queue.outgoingEnqueueCombi(subs, message(payload));
    expect(await stored(queue, 'offline')).toEqual(['1', '2']);
    expect(await stored(queue, 'online')).toEqual(['1', '2', '3', '4']);
    expect(dropped).toEqual([
      ['offline', true],
      ['other', true],
      ['offline', false],
      ['other', false],
    ]);
  });

  it('makes room again as the session acknowledges, and starts over when it is discarded', async () => {
    const { queue, counts } = setUp(1);
    const session = { id: 's' };
    const first = { ...message('1'), messageId: 7 };
    await queue.outgoingEnqueue({ clientId: 's' }, first);
    await queue.outgoingEnqueue({ clientId: 's' }, message('2'));
    expect(await stored(queue, 's')).toEqual(['1']);

    await queue.outgoingUpdate(session, first);
    await queue.outgoingClearMessageId(session, first);
    expect(counts.countOf('s')).toBe(0);
    await queue.outgoingEnqueue({ clientId: 's' }, message('3'));
    expect(await stored(queue, 's')).toEqual(['3']);

    await queue.cleanSubscriptions(session);
    expect(counts.knows('s')).toBe(false);
  });

  it('recounts what the store already holds for a session first seen after a restart', async () => {
    const inner = openMemoryStorage().persistence as unknown as Queue;
    for (const payload of ['a', 'b']) await inner.outgoingEnqueue({ clientId: 'kept' }, message(payload));
    const { queue, counts, dropped } = setUp(3, new Set(), inner as unknown as object);
    await queue.outgoingEnqueue({ clientId: 'kept' }, message('c'));
    await vi.waitFor(() => expect(counts.countOf('kept')).toBe(3));
    await queue.outgoingEnqueue({ clientId: 'kept' }, message('d'));
    expect(await stored(queue, 'kept')).toEqual(['a', 'b', 'c']);
    expect(dropped).toEqual([['kept', true]]);
  });

  it('passes every other call through, as Aedes feature-detects it', async () => {
    const { queue } = setUp(1);
    expect(queue.setup.constructor.name).toBe('AsyncFunction');
    expect(typeof queue.cleanIncoming).toBe('function');
    await queue.setup({ id: 'broker' });
  });
});
