import { type LinePoints, type LineWriter, type Precision, pointLines } from '../influx/index.js';
import { type Distribution, distribution, epochNow } from './stats.js';

/** How the ingest's InfluxDB writes went over an interval. */
export interface WriteTimes {
  writes: number;
  /** Duration of each write request (the ingest awaits it before acknowledging the message). */
  write: Distribution;
  /** From the end of one write to the start of the next: the ingest's work between writes. */
  between: Distribution;
  /** Total time a write was in flight, over the interval's wall time. */
  busyShare: number;
}

/** Told about every successful write, with the epoch ms at which InfluxDB answered it. */
export type WrittenListener = (lines: readonly string[], writtenAt: number) => void;

/**
 * Wraps the writer handed to the IngestService and times every write: the ingest is observed from
 * outside, through the connection it is given, without changing it.
 */
export class TimedWriter implements LineWriter {
  private durations: number[] = [];
  private gaps: number[] = [];
  private lastEnd: number | undefined;
  private listener: WrittenListener | undefined;

  constructor(private readonly inner: LineWriter) {}

  async write(points: LinePoints, precision: Precision): Promise<void> {
    const start = performance.now();
    if (this.lastEnd !== undefined) this.gaps.push(start - this.lastEnd);
    try {
      await this.inner.write(points, precision);
      // Taken apart only for a listener (the latency phase's), so the throughput phase costs nothing more.
      this.listener?.(pointLines(points), epochNow());
    } finally {
      const end = performance.now();
      this.durations.push(end - start);
      this.lastEnd = end;
    }
  }

  /** Sets (or, with undefined, removes) the one listener for successful writes. */
  observe(listener: WrittenListener | undefined): void {
    this.listener = listener;
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Forgets what was recorded, so the next take() covers only what follows. */
  reset(): void {
    this.durations = [];
    this.gaps = [];
    this.lastEnd = undefined;
  }

  /** What was recorded since the last reset, over `wallMs` of wall time; then resets. */
  take(wallMs: number): WriteTimes {
    const busy = this.durations.reduce((total, ms) => total + ms, 0);
    const times: WriteTimes = {
      writes: this.durations.length,
      write: distribution(this.durations),
      between: distribution(this.gaps),
      busyShare: wallMs > 0 ? busy / wallMs : 0,
    };
    this.reset();
    return times;
  }
}
