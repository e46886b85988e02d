import { describe, expect, it } from 'vitest';
import { openMemoryStorage } from '../../../broker/persistence/memory-storage.js';
import { queuePermitted } from '../../../broker/rights/queue-permitted.js';

// The decorator against Aedes' real in-memory persistence, through the promise API Aedes 1.2 calls.
interface Queue {
  outgoingEnqueue(sub: { clientId: string }, packet: object): Promise<void>;
  outgoingEnqueueCombi(subs: { clientId: string }[], packet: object): Promise<void>;
  outgoingUpdate(client: { id: string }, packet: object): Promise<void>;
  outgoingClearMessageId(client: { id: string }, packet: { messageId?: number }): Promise<unknown>;
  outgoingStream(client: { id: string }): AsyncIterable<{ topic: string }>;
}

let counter = 0;
function message(topic: string) {
  counter += 1;
  return { cmd: 'publish', topic, payload: Buffer.from('x'), qos: 1, brokerId: 'b', brokerCounter: counter };
}

async function topics(queue: Queue, id: string): Promise<string[]> {
  const found: string[] = [];
  for await (const packet of queue.outgoingStream({ id })) found.push(packet.topic);
  return found;
}

/** Session "lab" may not receive lab/secret; "other" may receive everything. */
function setUp(): Queue {
  const mayReceive = (clientId: string, topic: string) => clientId !== 'lab' || topic !== 'lab/secret';
  return queuePermitted(openMemoryStorage().persistence, mayReceive) as unknown as Queue;
}

describe('queuePermitted', () => {
  it('queues a message only for the sessions whose rights let them receive it', async () => {
    const queue = setUp();
    const subs = [{ clientId: 'lab' }, { clientId: 'other' }];
    await queue.outgoingEnqueueCombi(subs, message('lab/data'));
    await queue.outgoingEnqueueCombi(subs, message('lab/secret'));
    await queue.outgoingEnqueue({ clientId: 'lab' }, message('lab/secret'));
    expect(await topics(queue, 'lab')).toEqual(['lab/data']);
    expect(await topics(queue, 'other')).toEqual(['lab/data', 'lab/secret']);
  });

  it('ignores a clear without a packet id, which would take an owed message off the queue', async () => {
    const queue = setUp();
    const owed = message('lab/data');
    await queue.outgoingEnqueue({ clientId: 'lab' }, owed);
    // What Aedes does after withholding a copy from a connected persistent session.
    await queue.outgoingClearMessageId({ id: 'lab' }, {});
    expect(await topics(queue, 'lab')).toEqual(['lab/data']);
    await queue.outgoingUpdate({ id: 'lab' }, { ...owed, messageId: 7 });
    await queue.outgoingClearMessageId({ id: 'lab' }, { messageId: 7 });
    expect(await topics(queue, 'lab')).toEqual([]);
  });
});
