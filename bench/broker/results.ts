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

export interface Ratio {
  qos: Qos;
  /** Our delivered rate divided by the other broker's; undefined when either was not measured. */
  oursToAedes: number | undefined;
  oursToMosquitto: number | undefined;
}

export interface CaseFailure {
  broker: BrokerKind;
  qos: Qos;
  message: string;
}

export interface BrokerBenchResults {
  header: BrokerBenchHeader;
  cases: CaseResult[];
  ratios: Ratio[];
  failures: CaseFailure[];
  ok: boolean;
}

function rate(cases: readonly CaseResult[], broker: BrokerKind, qos: Qos): number | undefined {
  return cases.find((result) => result.broker === broker && result.qos === qos)?.deliveredPerSecond;
}

function divide(ours: number | undefined, other: number | undefined): number | undefined {
  return ours === undefined || other === undefined || other === 0 ? undefined : ours / other;
}

export function assembleResults(
  header: BrokerBenchHeader,
  cases: CaseResult[],
  failures: CaseFailure[],
): BrokerBenchResults {
  const ratios = header.options.qos.map((qos) => {
    const ours = rate(cases, 'ours', qos);
    return {
      qos,
      oursToAedes: divide(ours, rate(cases, 'aedes', qos)),
      oursToMosquitto: divide(ours, rate(cases, 'mosquitto', qos)),
    };
  });
  return { header, cases, ratios, failures, ok: failures.length === 0 };
}
