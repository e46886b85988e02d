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

/** Each round's ours/other ratio of delivered rates at this QoS. */
function roundRatios(cases: readonly RoundResult[], other: BrokerKind, qos: Qos): number[] {
  const rate = (broker: BrokerKind, round: number) =>
    cases.find((result) => result.broker === broker && result.qos === qos && result.round === round)
      ?.deliveredPerSecond;
  const rounds = [...new Set(cases.map((result) => result.round))];
  return rounds.flatMap((round) => {
    const ours = rate('ours', round);
    const theirs = rate(other, round);
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
    };
  });
  return { header, cases, ratios, failures, ok: failures.length === 0 };
}
