import { cpus } from 'node:os';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { clockTicksPerSecond, machineTimes, processTimes } from '../cpu-meter.js';
import { epochNow, perSecond } from '../stats.js';
import type { RunningBroker } from './brokers.js';
import { ClientThread } from './client-thread.js';
import type { ClientLogin, PublisherSpec } from './messages.js';
import type { BrokerKind, Qos } from './options.js';

/** Time for the commands to reach both threads before the publishing starts. */
const LEAD_MS = 100;
/** The subscriber is caught up once nothing arrived for this long. */
const QUIET_MS = 2000;

export interface CaseSetup {
  broker: RunningBroker;
  qos: Qos;
  publishers: PublisherSpec[];
  subscriber: ClientLogin;
  /** What the subscriber subscribes to. */
  filter: string;
  payload: string;
  window: number;
  warmupMs: number;
  measureMs: number;
  drainTimeoutMs: number;
}

export interface CaseResult {
  broker: BrokerKind;
  qos: Qos;
  /** Messages the subscriber received per second during the measured time: the figure compared. */
  deliveredPerSecond: number;
  /** Messages the publishers sent per second, warm-up included. */
  sentPerSecond: number;
  sent: number;
  /** Everything the subscriber received, measured time, warm-up and drain. */
  received: number;
  /** Sent but never received (a broker dropping for a slow subscriber, or still queued at the drain timeout). */
  lost: number;
  /** CPU of the broker's process during the measured time, in cores. */
  brokerCores: number | undefined;
  /** The part of brokerCores spent in the kernel (socket reads and writes, polling). */
  brokerSystemCores: number | undefined;
  /** CPU of the benchmark's own process (both client threads), in cores. */
  clientCores: number;
  /** CPU used by everything else on the machine, in cores: other work that made the figures noisy. */
  otherCores: number | undefined;
  publisherLoopBusy: number | undefined;
  subscriberLoopBusy: number | undefined;
}

interface CpuMark {
  broker: { user: number; system: number } | undefined;
  client: NodeJS.CpuUsage;
  machine: { busy: number; total: number };
  publishers: EventLoopUtilization | undefined;
  subscriber: EventLoopUtilization | undefined;
}

function cpuFigures(first: CpuMark, last: CpuMark, wallSeconds: number) {
  const brokerTimes =
    first.broker === undefined || last.broker === undefined
      ? undefined
      : { user: last.broker.user - first.broker.user, system: last.broker.system - first.broker.system };
  const brokerCores =
    brokerTimes === undefined ? undefined : (brokerTimes.user + brokerTimes.system) / wallSeconds;
  const brokerSystemCores = brokerTimes === undefined ? undefined : brokerTimes.system / wallSeconds;
  const clientMicros = last.client.user - first.client.user + (last.client.system - first.client.system);
  const clientCores = clientMicros / 1e6 / wallSeconds;
  const machineTotal = last.machine.total - first.machine.total;
  const machineCores =
    machineTotal > 0 ? ((last.machine.busy - first.machine.busy) / machineTotal) * cpus().length : 0;
  const otherCores =
    brokerCores === undefined ? undefined : Math.max(0, machineCores - brokerCores - clientCores);
  return { brokerCores, brokerSystemCores, clientCores, otherCores };
}

/** Share of the time since `since` the thread's event loop was busy. */
function busy(thread: ClientThread, since: EventLoopUtilization | undefined): number | undefined {
  return since === undefined ? undefined : thread.utilization(since)?.utilization;
}

const ticks = clockTicksPerSecond();

function at(epochMs: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, epochMs - epochNow())));
}

/** One broker and QoS: publishers flat out for warm-up plus measured time, the subscriber counting. */
export async function runCase(setup: CaseSetup): Promise<CaseResult> {
  const url = `mqtt://127.0.0.1:${setup.broker.port}`;
  const { qos } = setup;
  const subscriber = new ClientThread({
    role: 'subscriber',
    url,
    qos,
    filter: setup.filter,
    login: setup.subscriber,
  });
  const publishers = new ClientThread({
    role: 'publishers',
    url,
    qos,
    window: setup.window,
    payload: setup.payload,
    publishers: setup.publishers,
  });
  try {
    await subscriber.start();
    await publishers.start();
    const beginAt = epochNow() + LEAD_MS;
    const startAt = beginAt + setup.warmupMs;
    const endAt = startAt + setup.measureMs;
    const mark = (): CpuMark => ({
      broker: processTimes(setup.broker.pid, ticks),
      client: process.cpuUsage(),
      machine: machineTimes(),
      publishers: publishers.utilization(),
      subscriber: subscriber.utilization(),
    });
    const published = publishers.next('published');
    const measured = subscriber.next('measured');
    // Awaited only after the measured time; a thread failing before that must not go unhandled.
    published.catch(() => undefined);
    measured.catch(() => undefined);
    await at(beginAt);
    publishers.send({ type: 'publish', untilAt: endAt });
    subscriber.send({ type: 'measure', startAt, endAt });
    await at(startAt);
    const first = mark();
    await at(endAt);
    const last = mark();
    const publisherLoopBusy = busy(publishers, first.publishers);
    const subscriberLoopBusy = busy(subscriber, first.subscriber);
    const { result: sentResult } = await published;
    const { result: window } = await measured;
    const drained = subscriber.next('drained');
    subscriber.send({
      type: 'drain',
      expected: sentResult.sent,
      quietMs: QUIET_MS,
      timeoutMs: setup.drainTimeoutMs,
    });
    const { received } = await drained;
    const wallSeconds = (endAt - startAt) / 1000;
    const cpu = cpuFigures(first, last, wallSeconds);
    return {
      broker: setup.broker.kind,
      qos,
      deliveredPerSecond: perSecond(window.received, window.ms),
      sentPerSecond: perSecond(sentResult.sent, endAt - beginAt),
      sent: sentResult.sent,
      received,
      lost: Math.max(0, sentResult.sent - received),
      ...cpu,
      publisherLoopBusy,
      subscriberLoopBusy,
    };
  } finally {
    await publishers.stop();
    await subscriber.stop();
  }
}
