import { describe, expect, it } from 'vitest';
import { BrokerState } from '../../../broker/persistence/journal/broker-state.js';
import type { StateChange, StoredPacket } from '../../../broker/persistence/journal/journal-records.js';

function message(counter: number, topic = 'fs/v1/jinfo/cave-1/readings'): StoredPacket {
  return {
    cmd: 'publish',
    brokerId: 'b1',
    brokerCounter: counter,
    topic,
    payload: Buffer.from(`m${counter}`),
    qos: 1,
    retain: false,
    dup: false,
  };
}

function stateAfter(changes: readonly StateChange[]): BrokerState {
  const state = new BrokerState();
  for (const change of changes) state.apply(change);
  return state;
}

const ingest = 'fs-ingest';
const history: StateChange[] = [
  { t: 'subscribe', client: ingest, subs: [{ topic: 'fs/v1/+/+/readings', qos: 1 }] },
  { t: 'subscribe', client: 'fs-api', subs: [{ topic: 'fs/v1/#', qos: 0 }] },
  { t: 'retain', packet: { ...message(0, 'fs/v1/jinfo/cave-1/status'), qos: 0, retain: true } },
  { t: 'enqueue', clients: [ingest], packet: message(1) },
  { t: 'enqueue', clients: [ingest], packet: message(2) },
  { t: 'enqueue', clients: [ingest], packet: message(3) },
  { t: 'sent', client: ingest, brokerId: 'b1', brokerCounter: 1, messageId: 11 },
  { t: 'sent', client: ingest, brokerId: 'b1', brokerCounter: 2, messageId: 12 },
  { t: 'clear', client: ingest, messageId: 11 },
  { t: 'incoming', client: 'cave-1', packet: { ...message(9), qos: 2, messageId: 5 } },
  { t: 'will', client: 'cave-1', packet: { ...message(0, 'fs/v1/jinfo/cave-1/status'), clientId: 'cave-1' } },
];

describe('BrokerState', () => {
  it('keeps the queue in order, with the packet id of what was sent and without what was acknowledged', () => {
    const queue = stateAfter(history).queued(ingest);
    expect(queue.map((packet) => [packet.brokerCounter, packet.messageId])).toEqual([
      [2, 12],
      [3, undefined],
    ]);
  });

  it('finds the persistent QoS 1 subscribers of a topic, and forgets them when they unsubscribe', () => {
    const state = stateAfter(history);
    expect(state.subscribersOf('fs/v1/jinfo/cave-1/readings')).toEqual([
      { clientId: ingest, topic: 'fs/v1/+/+/readings', qos: 1, rh: undefined, rap: undefined, nl: undefined },
    ]);
    expect(state.subscribersOf('fs/v1/jinfo/cave-1/health')).toEqual([]);
    state.apply({ t: 'unsubscribe', client: ingest, topics: ['fs/v1/+/+/readings'] });
    expect(state.subscribersOf('fs/v1/jinfo/cave-1/readings')).toEqual([]);
  });

  it('tells a queued message sent from a PUBREL taking another packet’s place', () => {
    const state = stateAfter(history);
    expect(state.updateKind(ingest, { brokerId: 'b1', brokerCounter: 3, messageId: 13 })).toBe('sent');
    expect(state.updateKind(ingest, { messageId: 12 })).toBe('replace');
    expect(state.updateKind(ingest, { messageId: 99 })).toBeUndefined();
    expect(state.apply({ t: 'update', client: ingest, packet: { cmd: 'pubrel', messageId: 12 } })).toBe(true);
    expect(state.queued(ingest)[0]).toEqual({ cmd: 'pubrel', messageId: 12 });
  });

  it('says when a change finds nothing to change', () => {
    const state = stateAfter(history);
    expect(state.apply({ t: 'clear', client: ingest, messageId: 99 })).toBe(false);
    expect(state.apply({ t: 'cleanSubscriptions', client: 'nobody' })).toBe(false);
    expect(state.apply({ t: 'willDelete', client: 'cave-1' })).toBe(true);
    expect(state.apply({ t: 'willDelete', client: 'cave-1' })).toBe(false);
  });

  it('rebuilds the same state from its snapshot', () => {
    const state = stateAfter(history);
    const rebuilt = stateAfter([...state.snapshot()]);
    expect([...rebuilt.snapshot()]).toEqual([...state.snapshot()]);
    expect(rebuilt.queued(ingest)).toEqual(state.queued(ingest));
    expect([...rebuilt.retainedMatching(['#'])]).toHaveLength(1);
    expect(rebuilt.incomingPacket('cave-1', 5)?.payload).toEqual(Buffer.from('m9'));
    expect(rebuilt.countOffline()).toEqual({ subsCount: 1, clientsCount: 2 });
  });
});
