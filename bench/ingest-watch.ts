import { setTimeout as sleep } from 'node:timers/promises';
import type { IngestService, IngestStats } from '../ingest/index.js';
import { epochNow } from './stats.js';

const WATCH_INTERVAL_MS = 10;

/**
 * Follows the ingest's own counters from outside (IngestService.stats(), read every 10 ms): how many
 * messages and readings it has written and acknowledged since the watch began, and when each
 * reading count was first reached.
 */
export class IngestWatch {
  private readonly before: IngestStats;
  private readonly steps: { at: number; readings: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  messages = 0;
  readings = 0;

  constructor(private readonly ingest: IngestService) {
    this.before = ingest.stats();
  }

  start(): void {
    this.timer = setInterval(() => this.sample(), WATCH_INTERVAL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  /** Epoch ms at which the ingest had written `readings` readings, or undefined if it has not yet. */
  reachedAt(readings: number): number | undefined {
    return this.steps.find((step) => step.readings >= readings)?.at;
  }

  /**
   * Resolves once the counters show `readings` written, or when `deadline` (performance.now() time)
   * passes first; the caller checks InfluxDB either way.
   */
  async whenWritten(readings: number, deadline: number): Promise<void> {
    while (this.readings < readings && performance.now() < deadline) await sleep(WATCH_INTERVAL_MS);
  }

  /** Quarantines, retries and sequence trouble since the watch began, for one station. */
  health(station: string): IngestHealth {
    return ingestHealth(this.before, this.ingest.stats(), station);
  }

  private sample(): void {
    const now = this.ingest.stats();
    this.messages = now.messages - this.before.messages;
    const readings = (now.spool?.pointsWritten ?? 0) - (this.before.spool?.pointsWritten ?? 0);
    if (readings !== this.readings) this.steps.push({ at: epochNow(), readings });
    this.readings = readings;
  }
}

export interface IngestHealth {
  quarantined: Record<string, number>;
  writeRetries: number;
  gaps: number;
  duplicates: number;
  restarts: number;
}

type SequenceCounter = 'gaps' | 'duplicates' | 'restarts';

function sequenceTotal(stats: IngestStats, station: string, counter: SequenceCounter): number {
  return stats.sequences
    .filter((sequence) => sequence.station === station)
    .reduce((total, sequence) => total + sequence[counter], 0);
}

/** What went wrong in the ingest between two stats() readings, for the given station. */
export function ingestHealth(before: IngestStats, after: IngestStats, station: string): IngestHealth {
  const quarantined: Record<string, number> = {};
  for (const [code, count] of Object.entries(after.quarantined)) {
    const delta = (count ?? 0) - (before.quarantined[code as keyof IngestStats['quarantined']] ?? 0);
    if (delta > 0) quarantined[code] = delta;
  }
  const delta = (counter: SequenceCounter): number =>
    sequenceTotal(after, station, counter) - sequenceTotal(before, station, counter);
  return {
    quarantined,
    writeRetries: (after.spool?.retries ?? 0) - (before.spool?.retries ?? 0),
    gaps: delta('gaps'),
    duplicates: delta('duplicates'),
    restarts: delta('restarts'),
  };
}
