/** What a stalled consumer was holding, as the watchdog reports it. */
export interface Stall<T> {
  inHand: T;
  /** How long it had been in hand with nothing happening. */
  idleMs: number;
}

/**
 * Watches the one message the consumer has in hand. Handling may take long for a good reason (InfluxDB
 * down: each retry reports progress), but a message that sits with nothing happening for `limitMs`
 * has stalled the consumer, because MQTT.js reads nothing more until it is acknowledged. Pure: the
 * caller passes the time and decides what to do.
 */
export class StallWatch<T> {
  private current: { inHand: T; lastProgress: number } | undefined;

  constructor(private readonly limitMs: number) {}

  begin(inHand: T, now: number): void {
    this.current = { inHand, lastProgress: now };
  }

  /** Something happened for the message in hand (a write attempt failed and will be retried). */
  progress(now: number): void {
    if (this.current !== undefined) this.current.lastProgress = now;
  }

  end(): void {
    this.current = undefined;
  }

  stalled(now: number): Stall<T> | undefined {
    const current = this.current;
    if (current === undefined) return undefined;
    const idleMs = now - current.lastProgress;
    return idleMs >= this.limitMs ? { inHand: current.inHand, idleMs } : undefined;
  }
}
