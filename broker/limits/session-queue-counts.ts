/** What happened to one message for one session. */
export type Admission = 'queued' | 'first drop' | 'drop';

/**
 * How many messages the broker holds for each persistent session, as seen through the
 * persistence calls: +1 per enqueue, -1 per cleared message id (never below 0), reset when the
 * session is discarded. Pure bookkeeping; the persistence decorator feeds it.
 */
export class SessionQueueCounts {
  readonly #maxQueued: number;
  readonly #counts = new Map<string, number>();
  /** Sessions over their limit since their last message was queued: drops are logged once per episode. */
  readonly #dropping = new Map<string, number>();

  constructor(maxQueued: number) {
    this.#maxQueued = maxQueued;
  }

  /** Whether this session has been seen since the start (else its stored queue is unknown). */
  knows(clientId: string): boolean {
    return this.#counts.has(clientId);
  }

  countOf(clientId: string): number {
    return this.#counts.get(clientId) ?? 0;
  }

  /** A connected session always gets its message: it is being delivered, not piling up. */
  admit(clientId: string, connected: boolean): Admission {
    const count = this.countOf(clientId);
    if (connected || count < this.#maxQueued) {
      this.#counts.set(clientId, count + 1);
      this.#dropping.delete(clientId);
      return 'queued';
    }
    const dropped = (this.#dropping.get(clientId) ?? 0) + 1;
    this.#dropping.set(clientId, dropped);
    return dropped === 1 ? 'first drop' : 'drop';
  }

  /** Adds what a recount found in the store, for a session first seen after a restart. */
  recounted(clientId: string, stored: number): void {
    this.#counts.set(clientId, this.countOf(clientId) + stored);
  }

  removed(clientId: string): void {
    const count = this.#counts.get(clientId);
    if (count !== undefined) this.#counts.set(clientId, Math.max(0, count - 1));
  }

  forget(clientId: string): void {
    this.#counts.delete(clientId);
    this.#dropping.delete(clientId);
  }
}
