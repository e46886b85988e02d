import { delegateTo } from '../persistence/delegate-to.js';

interface OrderedCalls {
  outgoingEnqueueCombi(subs: unknown[], packet: unknown): Promise<void>;
  outgoingUpdate(client: { id: string }, packet: unknown): Promise<void>;
}

/** Promises that settle in the order they were handed in, though the work behind them overlaps. */
class InTurn {
  private previous: Promise<unknown> = Promise.resolve();
  private pending = 0;

  get idle(): boolean {
    return this.pending === 0;
  }

  add<T>(work: Promise<T>, onSettled: () => void = () => undefined): Promise<T> {
    this.pending += 1;
    const settled = (): void => {
      this.pending -= 1;
      onSettled();
    };
    // Nothing before it: the work's own promise is already in turn. The common case (a memory store,
    // a quiet disk one), and one promise instead of four per call.
    if (this.pending === 1) {
      this.previous = work.then(settled, settled);
      return work;
    }
    // Its failure is reported through the returned promise, in turn; until then it is not unhandled.
    work.catch(() => undefined);
    const inTurn = this.previous.then(() => work);
    this.previous = inTurn.then(settled, settled);
    return inTurn;
  }
}

/**
 * Aedes writes a QoS 1 message to the queues of the persistent sessions, then delivers it to each
 * connected one after recording it as in flight; it sends nothing before each write completes.
 * With a disk store those writes complete out of order, so a gateway's messages reached the
 * ingest out of order, which MQTT forbids on one topic ([MQTT-4.6.0-5]). Here every write still
 * starts at once but reports back only after the writes before it (in flight: of the same
 * session), so delivery keeps the order Aedes took the messages in.
 */
export function storeInOrder<P extends object>(persistence: P): P {
  const store = persistence as unknown as OrderedCalls;
  const enqueues = new InTurn();
  const updates = new Map<string, InTurn>();
  const overrides: OrderedCalls = {
    outgoingEnqueueCombi: (subs, packet) => enqueues.add(store.outgoingEnqueueCombi(subs, packet)),
    outgoingUpdate: (client, packet) => {
      let turn = updates.get(client.id);
      if (turn === undefined) {
        turn = new InTurn();
        updates.set(client.id, turn);
      }
      const sessionTurn = turn;
      // A session's turn is dropped once idle, so client ids that come and go leave nothing behind.
      return turn.add(store.outgoingUpdate(client, packet), () => {
        if (sessionTurn.idle && updates.get(client.id) === sessionTurn) updates.delete(client.id);
      });
    },
  };
  return delegateTo(persistence, overrides);
}
