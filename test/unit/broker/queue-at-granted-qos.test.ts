import { describe, expect, it } from 'vitest';
import { queueAtGrantedQos } from '../../../broker/conformance/queue-at-granted-qos.js';
import { openMemoryStorage } from '../../../broker/persistence/memory-storage.js';

// The decorator against Aedes' real in-memory persistence, through the promise API Aedes 1.2 calls.
interface Queue {
  outgoingEnqueueCombi(subs: { clientId: string; qos: number }[], packet: object): Promise<void>;
  outgoingStream(client: { id: string }): AsyncIterable<{ topic: string; qos: number }>;
}

async function queued(queue: Queue, id: string): Promise<string[]> {
  const found: string[] = [];
  for await (const packet of queue.outgoingStream({ id })) found.push(`${packet.topic} at ${packet.qos}`);
  return found;
}

const message = (qos: number) => ({
  cmd: 'publish',
  topic: 'TopicA/C',
  payload: Buffer.from('x'),
  qos,
  brokerId: 'b',
  brokerCounter: qos,
});

describe('queueAtGrantedQos', () => {
  it('queues a message once per session, at the highest QoS its matching subscriptions were granted', async () => {
    const queue = queueAtGrantedQos(openMemoryStorage().persistence) as unknown as Queue;
    const subs = [
      { clientId: 'overlapping', qos: 1 },
      { clientId: 'overlapping', qos: 2 },
      { clientId: 'at-one', qos: 1 },
    ];
    await queue.outgoingEnqueueCombi(subs, message(2));
    await queue.outgoingEnqueueCombi(subs, message(1));
    expect(await queued(queue, 'overlapping')).toEqual(['TopicA/C at 2', 'TopicA/C at 1']);
    expect(await queued(queue, 'at-one')).toEqual(['TopicA/C at 1', 'TopicA/C at 1']);
  });
});
