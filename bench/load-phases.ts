import { setTimeout as sleep } from 'node:timers/promises';
import { loadBatch, probeBatch } from './batches.js';
import type { BenchGateway } from './bench-gateway.js';
import { distribution, epochNow } from './stats.js';
import type { LatencyResult, ThroughputLimit, ThroughputResult } from './worker-messages.js';

export interface LoadShape {
  batch: number;
  window: number;
  originMs: number;
}

export interface ThroughputProgress {
  acked: number;
}

/**
 * Every gateway publishes as fast as its in-flight window allows: `window` lanes per gateway, each
 * publishing its next message as soon as its previous one is acknowledged.
 */
export async function runThroughput(
  gateways: readonly BenchGateway[],
  shape: LoadShape,
  limit: ThroughputLimit,
  progress: ThroughputProgress,
): Promise<ThroughputResult> {
  const samples: number[] = [];
  const deadline = limit.kind === 'seconds' ? performance.now() + limit.seconds * 1000 : 0;
  const published = new Map<BenchGateway, number>();
  const more = (gateway: BenchGateway): boolean =>
    limit.kind === 'seconds'
      ? performance.now() < deadline
      : (published.get(gateway) ?? 0) < limit.perGateway;
  let lastAckAt = 0;
  let bytes = 0;
  const firstPublishAt = epochNow();
  const lane = async (gateway: BenchGateway): Promise<void> => {
    while (more(gateway)) {
      published.set(gateway, (published.get(gateway) ?? 0) + 1);
      const payload = loadBatch(shape.originMs, shape.batch, gateway.nextSeq());
      bytes += payload.length;
      samples.push(await gateway.publish(payload));
      progress.acked += 1;
      lastAckAt = epochNow();
    }
  };
  const lanes = gateways.flatMap((gateway) => Array.from({ length: shape.window }, () => lane(gateway)));
  await Promise.all(lanes);
  const messages = samples.length;
  return {
    messages,
    readings: messages * shape.batch,
    bytes,
    firstPublishAt,
    lastAckAt,
    puback: distribution(samples),
  };
}

export interface LatencySchedule {
  seconds: number;
  /** Messages per second over all gateways together, spread evenly over time and gateways. */
  rate: number;
}

/**
 * Probes per second over all gateways at most: above that rate only every k-th message of a gateway
 * carries one, so that following the probes (a message to the main thread each, InfluxDB polls that
 * return them) does not load the main thread, which runs the broker and the ingest, in step with the rate.
 */
export const MAX_PROBES_PER_SECOND = 200;

/** Every how many messages of a gateway one carries a probe, at `rate` messages/s in total. */
export function probeEvery(rate: number): number {
  return Math.max(1, Math.ceil(rate / MAX_PROBES_PER_SECOND));
}

/** Tells the main thread which probe it has just published, so it knows what to look for. */
export type OnProbeSent = (gateway: string, time: number) => void;

/**
 * Publishes at a fixed total rate: gateway g sends at start + (g + k·N)/rate, so the broker sees one
 * message every 1/rate seconds. Publishes are not awaited before the next is due; PUBACK
 * latencies are collected as they come.
 */
export async function runLatency(
  gateways: readonly BenchGateway[],
  shape: LoadShape,
  schedule: LatencySchedule,
  onSent: OnProbeSent,
): Promise<LatencyResult> {
  const spacingMs = 1000 / schedule.rate;
  const periodMs = spacingMs * gateways.length;
  const start = performance.now() + 50;
  const end = start + schedule.seconds * 1000;
  const every = probeEvery(schedule.rate);
  const samples: number[] = [];
  let lateStarts = 0;
  let probes = 0;
  let firstSend = Number.POSITIVE_INFINITY;
  let lastSend = Number.NEGATIVE_INFINITY;
  const run = async (gateway: BenchGateway, offsetMs: number): Promise<void> => {
    const acks: Promise<void>[] = [];
    let lastProbeTime = 0;
    for (let due = start + offsetMs, n = 0; due < end; due += periodMs, n++) {
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      else if (-wait > periodMs) lateStarts += 1;
      const now = performance.now();
      firstSend = Math.min(firstSend, now);
      lastSend = Math.max(lastSend, now);
      const sentAt = epochNow();
      const probe = n % every === 0;
      const time = Math.max(Math.floor(sentAt), lastProbeTime + 1);
      if (probe) lastProbeTime = time;
      const payload = probeBatch(
        shape.originMs,
        shape.batch,
        gateway.nextSeq(),
        probe ? { time, sentAt } : undefined,
      );
      acks.push(gateway.publish(payload).then((ms) => void samples.push(ms)));
      if (probe) {
        probes += 1;
        onSent(gateway.gateway, time);
      }
    }
    await Promise.all(acks);
  };
  await Promise.all(gateways.map((gateway, index) => run(gateway, index * spacingMs)));
  const messages = samples.length;
  return {
    messages,
    readings: messages * shape.batch,
    probes,
    puback: distribution(samples),
    lateStarts,
    sendMs: Math.max(0, lastSend - firstSend),
  };
}
