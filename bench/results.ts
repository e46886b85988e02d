import type { BaselineOutcome } from './influx-baseline.js';
import type { IngestHealth } from './ingest-watch.js';
import type { LatencyOutcome } from './latency-phase.js';
import type { BenchOptions } from './options.js';
import { perSecond } from './stats.js';
import type { ThroughputOutcome } from './throughput-phase.js';
import type { ThroughputLimit } from './worker-messages.js';

export interface RunHeader {
  startedAt: string;
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  influxdb: string;
  influxd: 'private' | 'given';
  options: BenchOptions;
  /** BROKER_PROCESS_ENV's variables as the broker+ingest process had them, `NAME=value`. */
  processEnv: string[];
  throughputLimit: ThroughputLimit;
}

/** Rates over an interval that starts at the first publish. */
export interface Rate {
  seconds: number;
  readingsPerSecond: number;
  messagesPerSecond: number;
}

export interface ThroughputFigures {
  /** Until a count query returned every reading. */
  endToEnd: Rate | undefined;
  /** Until the ingest's counters showed every reading written. */
  ingest: Rate | undefined;
  /** Until the last PUBACK. */
  puback: Rate;
}

/** Figures that compare the pipeline with InfluxDB alone; undefined where a phase did not run. */
export interface Diagnosis {
  /** Wall time per message the ingest needed in phase 1 (1 / its message rate). */
  ingestMsPerMessage: number | undefined;
  /** Of that, the mean time one of its writes was in flight, and the mean time between writes. */
  ingestWriteMs: number;
  ingestBetweenMs: number;
  /** Mean duration of one write of the same size with one writer and nothing else running. */
  serialWriteMs: number | undefined;
  /** The ingest's message rate as a share of what one writer alone achieved. */
  shareOfSerialWriter: number | undefined;
  /** Writes/s of several concurrent writers over writes/s of one. */
  concurrentGain: number | undefined;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface BenchResults {
  header: RunHeader;
  /** The peak resident memory of the process that runs the broker and the ingest (the load runs apart). */
  peakRssBytes: number;
  throughput: ThroughputOutcome & { figures: ThroughputFigures };
  latency: LatencyOutcome | undefined;
  baseline: BaselineOutcome | undefined;
  diagnosis: Diagnosis;
  checks: Check[];
  ok: boolean;
}

function rate(outcome: ThroughputOutcome, until: number | undefined): Rate | undefined {
  if (until === undefined) return undefined;
  const elapsedMs = until - outcome.published.firstPublishAt;
  return {
    seconds: elapsedMs / 1000,
    readingsPerSecond: perSecond(outcome.published.readings, elapsedMs),
    messagesPerSecond: perSecond(outcome.published.messages, elapsedMs),
  };
}

export function throughputFigures(outcome: ThroughputOutcome): ThroughputFigures {
  return {
    endToEnd: rate(outcome, outcome.storedAt),
    ingest: rate(outcome, outcome.ingestDoneAt),
    puback: rate(outcome, outcome.published.lastAckAt) ?? {
      seconds: 0,
      readingsPerSecond: 0,
      messagesPerSecond: 0,
    },
  };
}

function countCheck(name: string, stored: number, expected: number): Check {
  const ok = stored === expected;
  const verdict = ok ? 'OK' : 'MISMATCH';
  return { name, ok, detail: `${verdict}: InfluxDB holds ${stored} readings, ${expected} were sent` };
}

function healthChecks(phase: string, health: IngestHealth): Check[] {
  const quarantined = Object.entries(health.quarantined);
  const sequence = health.gaps + health.duplicates + health.restarts;
  return [
    {
      name: `${phase}: quarantine`,
      ok: quarantined.length === 0,
      detail:
        quarantined.length === 0
          ? 'OK: the ingest quarantined nothing'
          : `QUARANTINED: ${quarantined.map(([code, n]) => `${code} ${n}`).join(', ')}`,
    },
    {
      name: `${phase}: sequence`,
      ok: sequence === 0,
      detail: `${sequence === 0 ? 'OK' : 'UNEXPECTED'}: ${health.gaps} gaps, ${health.duplicates} duplicates, ${health.restarts} restarts seen by the ingest`,
    },
  ];
}

export function checksOf(throughput: ThroughputOutcome, latency: LatencyOutcome | undefined): Check[] {
  const checks: Check[] = [
    countCheck('throughput: readings stored', throughput.stored, throughput.published.readings),
    ...healthChecks('throughput', throughput.health),
  ];
  if (latency !== undefined) {
    checks.push(countCheck('latency: readings stored', latency.readingsStored, latency.readingsSent), {
      name: 'latency: probes seen',
      ok: latency.unseen === 0,
      detail: `${latency.unseen === 0 ? 'OK' : 'MISSING'}: ${latency.visibleBy.count} probes seen by the poller, ${latency.unseen} not seen`,
    });
    checks.push(...healthChecks('latency', latency.health));
  }
  return checks;
}

export function diagnose(
  throughput: ThroughputOutcome,
  figures: ThroughputFigures,
  baseline: BaselineOutcome | undefined,
): Diagnosis {
  const ingestRate = figures.ingest?.messagesPerSecond;
  const serialRate = baseline?.serial.writesPerSecond;
  return {
    ingestMsPerMessage: ingestRate ? 1000 / ingestRate : undefined,
    ingestWriteMs: throughput.ingestWrites.write.mean,
    ingestBetweenMs: throughput.ingestWrites.between.mean,
    serialWriteMs: baseline?.serial.write.mean,
    shareOfSerialWriter: ingestRate && serialRate ? ingestRate / serialRate : undefined,
    concurrentGain: baseline && serialRate ? baseline.concurrent.writesPerSecond / serialRate : undefined,
  };
}

export function assembleResults(
  header: RunHeader,
  throughput: ThroughputOutcome,
  latency: LatencyOutcome | undefined,
  baseline: BaselineOutcome | undefined,
): BenchResults {
  const checks = checksOf(throughput, latency);
  const figures = throughputFigures(throughput);
  return {
    header,
    throughput: { ...throughput, figures },
    latency,
    baseline,
    diagnosis: diagnose(throughput, figures, baseline),
    checks,
    ok: checks.every((check) => check.ok),
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}
