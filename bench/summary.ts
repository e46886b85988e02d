import { z } from 'zod';
import { LATENCY_READINGS_PER_SECOND, type PipelineShape } from './all-options.js';
import type { InfluxAloneOutcome } from './influx-alone.js';

/**
 * Share of the rate asked that the latency phase's publishes must reach. Single publishes start late
 * by a timer tick as a matter of course and the schedule catches up; a load process (or pipeline)
 * that cannot keep the rate falls behind for good and sends below it.
 */
const RATE_SHARE_REQUIRED = 0.95;

const DistributionSchema = z.object({ count: z.number(), p50: z.number(), p99: z.number() });

/** The part of pipeline.js's results (its --results-file) that the summary uses. */
export const PipelineResultsSchema = z.object({
  header: z.object({ options: z.object({ brokerStore: z.string(), latencyRate: z.number() }) }),
  peakRssBytes: z.number(),
  throughput: z.object({
    published: z.object({ readings: z.number() }),
    figures: z.object({ endToEnd: z.object({ readingsPerSecond: z.number() }).optional() }),
  }),
  latency: z
    .object({
      published: z.object({
        messages: z.number(),
        lateStarts: z.number(),
        sendMs: z.number(),
        puback: DistributionSchema,
      }),
      visibleBy: DistributionSchema,
      unseen: z.number(),
    })
    .optional(),
  ok: z.boolean(),
});

export type PipelineResults = z.output<typeof PipelineResultsSchema>;

export interface LatencySummary {
  puback: { p50: number; p99: number };
  /** Publish call to the first poll that returned the probe (the upper bound). */
  queryable: { p50: number; p99: number };
  /** Why the phase did not run at the rate asked; empty when it did. */
  saturated: string[];
}

export interface ShapeSummary {
  label: string;
  /** Undefined when the run produced no results (it failed before the end). */
  readingsPerSecond: number | undefined;
  shareOfInfluxAlone: number | undefined;
  latency: LatencySummary | undefined;
  peakRssBytes: number | undefined;
  /** Whether the run wrote its results; `ok` whether all its checks passed. */
  finished: boolean;
  ok: boolean;
}

export interface BenchSummary {
  influxAlonePointsPerSecond: number | undefined;
  shapes: ShapeSummary[];
}

function saturation(results: PipelineResults, gateways: number, endToEnd: number | undefined): string[] {
  const latency = results.latency;
  if (latency === undefined) return ['latency phase did not run'];
  const reasons: string[] = [];
  const asked = results.header.options.latencyRate;
  const sent = (latency.published.messages * 1000) / Math.max(1, latency.published.sendMs);
  if (sent < asked * RATE_SHARE_REQUIRED) {
    reasons.push(
      `publishes went out at ${Math.round(sent)} messages/s of the ${asked} asked ` +
        `(${gateways} gateways; the load process or the pipeline fell behind its schedule)`,
    );
  }
  if (endToEnd !== undefined && endToEnd < LATENCY_READINGS_PER_SECOND) {
    reasons.push(`throughput ${Math.round(endToEnd)} readings/s is below the rate asked`);
  }
  if (latency.unseen > 0) reasons.push(`${latency.unseen} probes not queryable 10 s after the last PUBACK`);
  return reasons;
}

export function summarizeShape(
  shape: PipelineShape,
  results: PipelineResults | undefined,
  alone: number | undefined,
): ShapeSummary {
  if (results === undefined) {
    return {
      label: shape.label,
      readingsPerSecond: undefined,
      shareOfInfluxAlone: undefined,
      latency: undefined,
      peakRssBytes: undefined,
      finished: false,
      ok: false,
    };
  }
  const endToEnd = results.throughput.figures.endToEnd?.readingsPerSecond;
  const latency = results.latency;
  return {
    label: shape.label,
    readingsPerSecond: endToEnd,
    shareOfInfluxAlone: endToEnd !== undefined && alone ? endToEnd / alone : undefined,
    latency:
      latency === undefined
        ? undefined
        : {
            puback: { p50: latency.published.puback.p50, p99: latency.published.puback.p99 },
            queryable: { p50: latency.visibleBy.p50, p99: latency.visibleBy.p99 },
            saturated: saturation(results, shape.gateways, endToEnd),
          },
    peakRssBytes: results.peakRssBytes,
    finished: true,
    ok: results.ok,
  };
}

export function summarize(
  alone: InfluxAloneOutcome | undefined,
  shapes: readonly { shape: PipelineShape; results: PipelineResults | undefined }[],
): BenchSummary {
  const pointsPerSecond = alone?.pointsPerSecond;
  return {
    influxAlonePointsPerSecond: pointsPerSecond,
    shapes: shapes.map(({ shape, results }) => summarizeShape(shape, results, pointsPerSecond)),
  };
}
