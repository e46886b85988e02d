import type { Reading } from '../../protocol/index.js';
import type { Clock } from '../clock.js';
import { Batcher } from './batcher.js';
import type { ReadingJournal } from './reading-journal.js';

/** What the intake needs of the message outbox. */
export interface MessageStore {
  append(readings: readonly Reading[]): Promise<unknown>;
}

export interface ReadingIntakeOptions {
  journal: ReadingJournal;
  messages: MessageStore;
  batch: { maxReadings: number; maxDelayMs: number };
  clock?: Clock;
  /** Readings now on disk: from here on a crash costs none of them. */
  stored(readings: readonly Reading[]): void;
  /** Readings that could not be written; `error` says why. */
  lost(readings: readonly Reading[], error: unknown): void;
}

interface Journaled {
  reading: Reading;
  group: number;
}

/**
 * Where readings enter the outbox: each tick's readings are written to the journal as one group
 * (fsynced, see ReadingJournal), then wait in a batch for company, as durable as the message the
 * batch becomes. A batch becomes a stored message, and the journal groups it held are released.
 * At start, what a killed gateway had journaled but not yet batched is batched first.
 */
export class ReadingIntake {
  private readonly batcher: Batcher<Journaled>;
  /** Readings of each journal group not yet in a stored message. */
  private readonly unbatched = new Map<number, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private tick: Reading[] = [];

  constructor(private readonly options: ReadingIntakeOptions) {
    this.batcher = new Batcher<Journaled>({
      maxItems: options.batch.maxReadings,
      maxDelayMs: options.batch.maxDelayMs,
      onBatch: (items) => this.track(this.storeBatch(items)),
      clock: options.clock,
    });
  }

  /** Recovers the journal of a previous run into stored messages; returns how many readings it held. */
  async start(): Promise<number> {
    const groups = await this.options.journal.recover();
    const readings = groups.flatMap((group) => group.readings);
    for (let start = 0; start < readings.length; start += this.options.batch.maxReadings) {
      await this.options.messages.append(readings.slice(start, start + this.options.batch.maxReadings));
    }
    await this.options.journal.clear();
    return readings.length;
  }

  /** Takes a reading as it is made; the readings of one tick go to disk together. */
  take(reading: Reading): void {
    this.tick.push(reading);
    if (this.tick.length === 1) queueMicrotask(() => this.track(this.journalTick()));
  }

  /** Journals what was taken, stores what is batched, and closes the journal. */
  async stop(): Promise<void> {
    this.track(this.journalTick());
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    this.batcher.flush();
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    await this.options.journal.stop();
  }

  private async journalTick(): Promise<void> {
    const readings = this.tick;
    if (readings.length === 0) return;
    this.tick = [];
    let group: number;
    try {
      group = await this.options.journal.record(readings);
    } catch (error) {
      this.options.lost(readings, error);
      return;
    }
    this.unbatched.set(group, readings.length);
    this.options.stored(readings);
    for (const reading of readings) this.batcher.add({ reading, group });
  }

  private async storeBatch(items: readonly Journaled[]): Promise<void> {
    const readings = items.map((item) => item.reading);
    try {
      await this.options.messages.append(readings);
    } catch (error) {
      // Still in the journal: the next start batches them again.
      this.options.lost(readings, error);
      return;
    }
    for (const { group } of items) {
      const left = (this.unbatched.get(group) ?? 1) - 1;
      if (left > 0) {
        this.unbatched.set(group, left);
        continue;
      }
      this.unbatched.delete(group);
      this.options.journal.release(group);
    }
  }

  private track(work: Promise<void>): void {
    const tracked = work.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}
