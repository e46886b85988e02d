import { z } from 'zod';
import type { GatewayAddress, Reading } from '../../protocol/index.js';
import type { LimitRefusalCode } from '../quarantine/quarantine-record.js';

const DAY_MS = 86_400_000;

export const ReadingLimitsSchema = z.object({
  /**
   * Readings sampled longer ago than this are refused. InfluxDB keeps a shard per week of sample
   * time; a message whose readings span decades would open thousands at once (a 400 KB message took
   * a private influxd from 20 to 5,026 open files). Raise it for a deliberate backfill.
   */
  maxAgeDays: z.number().positive().default(400),
  /** Readings sampled further in the future than this are refused: no clock is that far ahead. */
  maxAheadMs: z.number().int().nonnegative().default(DAY_MS),
  /**
   * Distinct series (sensor, quantity, unit) one gateway may write. InfluxDB refuses every new tag
   * value past its own limit (100,000 per tag), for all gateways at once; one gateway inventing
   * sensor ids must run into its own limit long before that.
   */
  maxSeriesPerGateway: z.number().int().positive().default(1000),
});
export type ReadingLimits = z.output<typeof ReadingLimitsSchema>;

export type LimitRefusal = { code: LimitRefusalCode; reason: string };

function seriesKey(reading: Reading): string {
  return `${reading.sensor}\u0000${reading.quantity}\u0000${reading.unit}`;
}

/**
 * Checks a batch against the limits above before anything of it is stored: the whole message is
 * refused (and quarantined with the reason) or the whole of it passes. Keeps the series seen per
 * gateway since the ingest started, bounded by `maxSeriesPerGateway` each. Pure apart from that state.
 */
export class ReadingLimiter {
  private readonly series = new Map<string, Set<string>>();

  constructor(private readonly limits: ReadingLimits) {}

  /**
   * Refuses a point time outside the window. Alert actions are held to it too: a service account
   * writing acks or deliveries across decades would open a shard per week like readings would.
   */
  checkTime(time: number, nowMs: number, path: string): LimitRefusal | undefined {
    if (this.inWindow(time, nowMs)) return undefined;
    return {
      code: 'TIME_OUT_OF_RANGE',
      reason: `${path}: ${new Date(time).toISOString()} is outside the accepted window (${this.limits.maxAgeDays} days back, ${this.limits.maxAheadMs / 3_600_000} h ahead of the ingest's clock)`,
    };
  }

  private inWindow(time: number, nowMs: number): boolean {
    return time >= nowMs - this.limits.maxAgeDays * DAY_MS && time <= nowMs + this.limits.maxAheadMs;
  }

  check(address: GatewayAddress, readings: readonly Reading[], nowMs: number): LimitRefusal | undefined {
    // The path of a refused time is only written for the refusal.
    const outside = readings.findIndex((reading) => !this.inWindow(reading.time, nowMs));
    if (outside >= 0)
      return this.checkTime((readings[outside] as Reading).time, nowMs, `readings.${outside}.time`);
    const key = `${address.station}/${address.gateway}`;
    const known = this.series.get(key) ?? new Set<string>();
    // Nearly every batch brings only known series: no set of new ones is made for it.
    let fresh: Set<string> | undefined;
    for (const reading of readings) {
      const series = seriesKey(reading);
      if (known.has(series)) continue;
      fresh ??= new Set();
      fresh.add(series);
    }
    if (fresh === undefined) {
      this.series.set(key, known);
      return undefined;
    }
    if (known.size + fresh.size > this.limits.maxSeriesPerGateway) {
      return {
        code: 'SERIES_LIMIT',
        reason: `the gateway would have ${known.size + fresh.size} series (sensor, quantity, unit); the limit is ${this.limits.maxSeriesPerGateway}`,
      };
    }
    for (const series of fresh) known.add(series);
    this.series.set(key, known);
    return undefined;
  }
}
