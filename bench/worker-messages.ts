import type { Distribution } from './stats.js';

/** Everything the load process needs to connect its gateway clients. */
export interface LoadWorkerData {
  mqttUrl: string;
  gateways: { gateway: string; username: string; password: string }[];
  batch: number;
  window: number;
  /** Origin of the synthetic sample times, epoch ms. */
  originMs: number;
}

export type ThroughputLimit = { kind: 'seconds'; seconds: number } | { kind: 'messages'; perGateway: number };

export type LoadCommand =
  | { type: 'throughput'; limit: ThroughputLimit }
  | { type: 'latency'; seconds: number; rate: number }
  | { type: 'close' };

export interface ThroughputResult {
  messages: number;
  readings: number;
  /** Payload bytes published. */
  bytes: number;
  /** Epoch ms of the first publish call and of the last PUBACK. */
  firstPublishAt: number;
  lastAckAt: number;
  puback: Distribution;
}

export interface LatencyResult {
  messages: number;
  readings: number;
  /** Messages that carried a probe (all of them up to MAX_PROBES_PER_SECOND, a regular sample above). */
  probes: number;
  puback: Distribution;
  /** Publish calls that started later than scheduled by more than one interval (timer jitter, catch-up). */
  lateStarts: number;
  /** From the first publish call to the last: the rate asked holds if messages / this keeps up with it. */
  sendMs: number;
}

export type LoadEvent =
  | { type: 'ready' }
  | { type: 'progress'; at: number; acked: number }
  | { type: 'throughput-done'; result: ThroughputResult }
  | { type: 'sent'; gateway: string; time: number }
  | { type: 'latency-done'; result: LatencyResult }
  | { type: 'closed' }
  | { type: 'failed'; message: string };
