import { setTimeout as sleep } from 'node:timers/promises';
import { BENCH_SENSORS, BENCH_STATION } from './batches.js';
import type { BenchStation } from './bench-station.js';
import type { CpuMeter, CpuUsage } from './cpu-meter.js';
import { type IngestHealth, IngestWatch } from './ingest-watch.js';
import type { LoadProcess } from './load-process.js';
import { ProbePoller } from './probe-poller.js';
import { ProbeWrites } from './probe-writes.js';
import { countReadings, waitForCount } from './reading-counts.js';
import { type Distribution, distribution } from './stats.js';
import type { WriteTimes } from './timed-writer.js';
import type { LatencyResult } from './worker-messages.js';

const FILLER_POLL_MS = 100;

export interface LatencySettings {
  seconds: number;
  /** Messages per second over all gateways. */
  rate: number;
  pollIntervalMs: number;
  /** How long to keep polling for probes still unseen after the last PUBACK. */
  settleTimeoutMs: number;
}

export interface LatencyOutcome {
  published: LatencyResult;
  /** Publish call to InfluxDB answering the ingest's write of that message: exact, no polling. */
  storedBy: Distribution;
  /** Publish call to the first poll that found the probe completing: an upper bound. */
  visibleBy: Distribution;
  /** Publish call to the issue of the poll before it, floored at 0: a lower bound. */
  visibleAfter: Distribution;
  /** How long each poll query took, and how many polls failed (the query client timed out or errored). */
  pollQuery: Distribution;
  pollFailures: number;
  /** Probes published but never seen in InfluxDB. */
  unseen: number;
  /** Probe and filler readings in InfluxDB at the end, and how many were sent. */
  readingsStored: number;
  readingsSent: number;
  health: IngestHealth;
  /** The ingest's InfluxDB writes during the phase: the storage part of the latency. */
  ingestWrites: WriteTimes;
  cpu: CpuUsage;
}

export interface LatencyParts {
  station: BenchStation;
  load: LoadProcess;
  meter: CpuMeter;
}

async function settle(poller: ProbePoller, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (poller.pending > 0 && performance.now() < deadline) await sleep(20);
}

/** Phase 2: a fixed rate well below saturation; each probe's value is its publish time. */
export async function runLatencyPhase(
  parts: LatencyParts,
  settings: LatencySettings,
): Promise<LatencyOutcome> {
  const { station, load, meter } = parts;
  const queries = station.influx.queries;
  const watch = new IngestWatch(station.ingest);
  const poller = new ProbePoller(queries, settings.pollIntervalMs);
  const cpuStart = meter.start();
  const probeWrites = new ProbeWrites();
  station.ingestWrites.reset();
  station.ingestWrites.observe(probeWrites.listener);
  poller.start();
  let published: LatencyResult;
  try {
    published = await load.latency(settings.seconds, settings.rate, (gateway, time) =>
      poller.sent(gateway, time),
    );
    await settle(poller, settings.settleTimeoutMs);
    // Above MAX_PROBES_PER_SECOND the last messages may carry no probe: wait for their fillers too.
    await waitForCount(
      queries,
      BENCH_SENSORS.filler,
      published.readings - published.probes,
      FILLER_POLL_MS,
      performance.now() + settings.settleTimeoutMs,
    );
  } finally {
    station.ingestWrites.observe(undefined);
    await poller.stop();
  }
  const cpu = meter.finish(cpuStart);
  const ingestWrites = station.ingestWrites.take(cpu.wallMs);
  const { sightings, queryMs, failures } = poller.results();
  const [probes, fillers] = await Promise.all([
    countReadings(queries, BENCH_SENSORS.probe),
    countReadings(queries, BENCH_SENSORS.filler),
  ]);
  return {
    published,
    storedBy: distribution(probeWrites.latencies),
    visibleBy: distribution(sightings.map((s) => s.seenBy - s.sentAt)),
    visibleAfter: distribution(sightings.map((s) => Math.max(0, s.notSeenAt - s.sentAt))),
    pollQuery: distribution(queryMs),
    pollFailures: failures,
    unseen: poller.pending,
    readingsStored: probes + fillers,
    readingsSent: published.readings,
    health: watch.health(BENCH_STATION),
    ingestWrites,
    cpu,
  };
}
