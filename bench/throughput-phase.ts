import { BENCH_SENSORS, BENCH_STATION } from './batches.js';
import type { BenchStation } from './bench-station.js';
import type { CpuMeter, CpuUsage } from './cpu-meter.js';
import { type IngestHealth, IngestWatch } from './ingest-watch.js';
import type { LoadProcess } from './load-process.js';
import { countReadings, waitForCount } from './reading-counts.js';
import { epochNow } from './stats.js';
import type { WriteTimes } from './timed-writer.js';
import type { ThroughputLimit, ThroughputResult } from './worker-messages.js';

const TIMELINE_INTERVAL_MS = 500;

export interface ThroughputSettings {
  limit: ThroughputLimit;
  /** How long to wait, after the last PUBACK, for InfluxDB to hold every reading. */
  drainTimeoutMs: number;
  countIntervalMs: number;
}

/** Messages acknowledged by the broker and written by the ingest, seconds after the first publish. */
export interface TimelinePoint {
  t: number;
  acked: number;
  ingested: number;
}

export interface ThroughputOutcome {
  published: ThroughputResult;
  /** Epoch ms: when the ingest's counters showed every reading written (10 ms resolution). */
  ingestDoneAt: number | undefined;
  /** Epoch ms: when a count query first returned every reading; undefined after a timeout. */
  storedAt: number | undefined;
  /** The count in InfluxDB at the end. */
  stored: number;
  health: IngestHealth;
  timeline: TimelinePoint[];
  /** Most messages acknowledged by the broker but not yet written by the ingest at a timeline point. */
  peakBacklog: number;
  /** The ingest's InfluxDB writes from the first publish until it had written everything. */
  ingestWrites: WriteTimes;
  cpu: CpuUsage;
}

export interface ThroughputParts {
  station: BenchStation;
  load: LoadProcess;
  meter: CpuMeter;
}

/**
 * Runs `work`, failing it when it reports no progress for `timeoutMs`: with the ingest stuck (say,
 * InfluxDB gone), the broker stops reading the publishers and their PUBACKs never come.
 */
async function stallGuard<T>(timeoutMs: number, work: (onProgress: () => void) => Promise<T>): Promise<T> {
  let lastProgress = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      if (performance.now() - lastProgress > timeoutMs) {
        reject(new Error(`no PUBACK for ${timeoutMs / 1000} s: the pipeline is stuck`));
      }
    }, 1000);
  });
  try {
    return await Promise.race([
      work(() => {
        lastProgress = performance.now();
      }),
      stalled,
    ]);
  } finally {
    clearInterval(timer);
  }
}

/** Phase 1: gateways publish flat out; the phase ends when InfluxDB holds every reading sent. */
export async function runThroughputPhase(
  parts: ThroughputParts,
  settings: ThroughputSettings,
): Promise<ThroughputOutcome> {
  const { station, load, meter } = parts;
  const queries = station.influx.queries;
  const watch = new IngestWatch(station.ingest);
  const cpuStart = meter.start();
  station.ingestWrites.reset();
  const samples: { at: number; acked: number; ingested: number }[] = [];
  let acked = 0;
  const sampler = setInterval(
    () => samples.push({ at: epochNow(), acked, ingested: watch.messages }),
    TIMELINE_INTERVAL_MS,
  );
  watch.start();
  let published: ThroughputResult;
  let reached: Awaited<ReturnType<typeof waitForCount>>;
  try {
    published = await stallGuard(settings.drainTimeoutMs, (onProgress) =>
      load.throughput(settings.limit, (count) => {
        if (count > acked) onProgress();
        acked = count;
      }),
    );
    acked = published.messages;
    const deadline = performance.now() + settings.drainTimeoutMs;
    // A count over millions of points costs influxd a good part of a core, so InfluxDB is asked only
    // once the ingest says it has written everything; polling all along slowed the pipeline it measured.
    await watch.whenWritten(published.readings, deadline);
    reached = await waitForCount(
      queries,
      BENCH_SENSORS.load,
      published.readings,
      settings.countIntervalMs,
      deadline,
    );
  } finally {
    clearInterval(sampler);
    watch.stop();
  }
  const cpu = meter.finish(cpuStart);
  const ingestDoneAt = watch.reachedAt(published.readings);
  const ingestWrites = station.ingestWrites.take((ingestDoneAt ?? epochNow()) - published.firstPublishAt);
  const timeline = samples.map(({ at, ...counts }) => ({
    t: (at - published.firstPublishAt) / 1000,
    ...counts,
  }));
  return {
    published,
    ingestDoneAt,
    storedAt: reached?.at,
    stored: await countReadings(queries, BENCH_SENSORS.load),
    health: watch.health(BENCH_STATION),
    timeline,
    peakBacklog: Math.max(0, ...timeline.map((point) => point.acked - point.ingested)),
    ingestWrites,
    cpu,
  };
}
