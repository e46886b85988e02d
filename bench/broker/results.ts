import type { BrokerBenchOptions, BrokerKind, Qos } from './options.js';
import type { CaseResult } from './run-case.js';

export interface BrokerBenchHeader {
  startedAt: string;
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  mosquitto: string;
  payloadBytes: number;
  options: BrokerBenchOptions;
}

/** A case of one round (1 …); the brokers took turns within it. */
export type RoundResult = CaseResult & { round: number };

export interface Ratio {
  qos: Qos;
  /**
   * Our delivered rate divided by the other broker's: the median over the rounds of each round's
   * ratio; undefined when no round measured both.
   */
  oursToAedes: number | undefined;
  oursToMosquitto: number | undefined;
  /** Each round's ratio to plain Aedes, in round order (one entry per round that measured both). */
  oursToAedesByRound: number[];
  /**
   * Our broker's CPU time per delivered message divided by plain Aedes' (median over the rounds):
   * what each message costs the broker, which other processes on the machine disturb far less than
   * the rates. 1.11 costs as much more as a rate ratio of 0.9 gives up.
   */
  oursCpuPerMessageToAedes: number | undefined;
}

/** Microseconds of the broker process's CPU per message delivered in the measured time. */
export function cpuPerMessage(result: CaseResult): number | undefined {
  if (result.brokerCores === undefined || result.deliveredPerSecond === 0) return undefined;
  return (result.brokerCores * 1e6) / result.deliveredPerSecond;
}

/** The part of cpuPerMessage spent in the kernel. */
export function systemCpuPerMessage(result: CaseResult): number | undefined {
  if (result.brokerSystemCores === undefined || result.deliveredPerSecond === 0) return undefined;
  return (result.brokerSystemCores * 1e6) / result.deliveredPerSecond;
}

export interface CaseFailure {
  broker: BrokerKind;
  qos: Qos;
  round: number;
  message: string;
}

export interface BrokerBenchResults {
  header: BrokerBenchHeader;
  cases: RoundResult[];
  ratios: Ratio[];
  failures: CaseFailure[];
  ok: boolean;
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Each round's ours/other ratio of a figure of the cases at this QoS. */
function roundRatios(
  cases: readonly RoundResult[],
  other: BrokerKind,
  qos: Qos,
  figure: (result: RoundResult) => number | undefined = (result) => result.deliveredPerSecond,
): number[] {
  const of = (broker: BrokerKind, round: number) => {
    const found = cases.find(
      (result) => result.broker === broker && result.qos === qos && result.round === round,
    );
    return found === undefined ? undefined : figure(found);
  };
  const rounds = [...new Set(cases.map((result) => result.round))];
  return rounds.flatMap((round) => {
    const ours = of('ours', round);
    const theirs = of(other, round);
    return ours === undefined || theirs === undefined || theirs === 0 ? [] : [ours / theirs];
  });
}

export function assembleResults(
  header: BrokerBenchHeader,
  cases: RoundResult[],
  failures: CaseFailure[],
): BrokerBenchResults {
  const ratios = header.options.qos.map((qos) => {
    const byRound = roundRatios(cases, 'aedes', qos);
    return {
      qos,
      oursToAedes: median(byRound),
      oursToMosquitto: median(roundRatios(cases, 'mosquitto', qos)),
      oursToAedesByRound: byRound,
      oursCpuPerMessageToAedes: median(roundRatios(cases, 'aedes', qos, cpuPerMessage)),
    };
  });
  return { header, cases, ratios, failures, ok: failures.length === 0 };
}
