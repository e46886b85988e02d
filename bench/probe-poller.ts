import { setTimeout as sleep } from 'node:timers/promises';
import {
  type InfluxQueryClient,
  quoteIdentifier,
  quoteString,
  READING,
  timeLiteral,
} from '../influx/index.js';
import { BENCH_SENSORS, BENCH_STATION } from './batches.js';
import { epochNow } from './stats.js';

/** When a probe was first seen in InfluxDB, bracketed by two polls. */
export interface ProbeSighting {
  sentAt: number;
  /** Epoch ms when the first poll that returned the probe completed: it was visible by then. */
  seenBy: number;
  /** Epoch ms when the poll before that one was issued: it was not yet visible then. */
  notSeenAt: number;
}

function probeKey(gateway: string, time: number): string {
  return `${gateway}@${time}`;
}

/**
 * Queries InfluxDB for probe readings it has not seen yet and notes when each first appears. It
 * polls only while a probe is outstanding: the first poll as soon as a probe is announced, then one
 * every `intervalMs` until every announced probe has been seen. Polling on a fixed clock instead
 * would measure the phase between that clock and the publish schedule more than the pipeline.
 * Only outstanding probes are asked for (the lower time bound is the oldest one), so each poll
 * returns a handful of rows.
 */
export class ProbePoller {
  private readonly outstanding = new Map<string, number>();
  private readonly sightings = new Map<string, ProbeSighting>();
  private readonly queryMs: number[] = [];
  private failures = 0;
  private running: Promise<void> | undefined;
  private stopping = false;
  private lastIssuedAt = 0;
  private wake: (() => void) | undefined;

  constructor(
    private readonly queries: InfluxQueryClient,
    private readonly intervalMs: number,
  ) {}

  /** A probe has been published (the load process says so just after the publish call). */
  sent(gateway: string, time: number): void {
    const key = probeKey(gateway, time);
    if (this.sightings.has(key)) return;
    this.outstanding.set(key, time);
    this.wake?.();
  }

  get pending(): number {
    return this.outstanding.size;
  }

  start(): void {
    this.lastIssuedAt = epochNow();
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
  }

  results(): { sightings: ProbeSighting[]; queryMs: number[]; failures: number } {
    return { sightings: [...this.sightings.values()], queryMs: [...this.queryMs], failures: this.failures };
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      if (this.outstanding.size === 0) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = undefined;
        continue;
      }
      const issued = performance.now();
      try {
        await this.poll();
      } catch {
        // A poll that failed (timed out, on a saturated machine) saw nothing; the next one looks again.
        this.failures += 1;
      }
      await sleep(Math.max(0, issued + this.intervalMs - performance.now()));
    }
  }

  private async poll(): Promise<void> {
    let from = Number.POSITIVE_INFINITY;
    for (const time of this.outstanding.values()) from = Math.min(from, time);
    const issuedAt = epochNow();
    const series = await this.queries.query(
      `SELECT ${quoteIdentifier(READING.fields.value)}, gateway FROM ${quoteIdentifier(READING.name)} ` +
        `WHERE station = ${quoteString(BENCH_STATION)} AND sensor = ${quoteString(BENCH_SENSORS.probe)} ` +
        `AND time >= ${timeLiteral(from)}`,
    );
    const seenBy = epochNow();
    this.queryMs.push(seenBy - issuedAt);
    for (const { columns, values } of series) {
      const [timeAt, valueAt, gatewayAt] = ['time', READING.fields.value, 'gateway'].map((name) =>
        columns.indexOf(name),
      );
      for (const row of values) {
        const time = Number(row[timeAt ?? -1]);
        const key = probeKey(String(row[gatewayAt ?? -1]), time);
        if (this.sightings.has(key)) continue;
        this.sightings.set(key, { sentAt: Number(row[valueAt ?? -1]), seenBy, notSeenAt: this.lastIssuedAt });
        this.outstanding.delete(key);
      }
    }
    this.lastIssuedAt = issuedAt;
  }
}
