import {
  type BrokerBenchResults,
  cpuPerMessage,
  type Ratio,
  type RoundResult,
  systemCpuPerMessage,
} from './results.js';

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

const NAMES = {
  ours: 'ours (BrokerServer)',
  aedes: 'plain Aedes',
  mosquitto: 'mosquitto',
} as const;

function pct(share: number | undefined): string {
  return share === undefined ? 'n/a' : `${(share * 100).toFixed(0)}%`;
}

function cores(value: number | undefined): string {
  return value === undefined ? 'n/a' : value.toFixed(2);
}

function micros(value: number | undefined): string {
  return value === undefined ? 'n/a' : `${value.toFixed(1)} µs`;
}

function caseLines(result: RoundResult, rounds: number): string[] {
  const indent = ' '.repeat(30);
  const round = rounds > 1 ? ` (round ${result.round})` : '';
  return [
    `  ${NAMES[result.broker].padEnd(20)} QoS ${result.qos} ${whole.format(result.deliveredPerSecond).padStart(9)} msg/s delivered${round}`,
    `${indent}sent ${whole.format(result.sentPerSecond)}/s; lost ${whole.format(result.lost)} of ${whole.format(result.sent)}`,
    `${indent}CPU: broker ${cores(result.brokerCores)} cores; clients ${cores(result.clientCores)} cores` +
      ` (event loops busy: publishers ${pct(result.publisherLoopBusy)}, subscriber ${pct(result.subscriberLoopBusy)});` +
      ` other processes ${cores(result.otherCores)} cores`,
    `${indent}broker CPU per message delivered: ${micros(cpuPerMessage(result))} (in the kernel ${micros(systemCpuPerMessage(result))})`,
  ];
}

function ratioLine(ratio: Ratio): string {
  const show = (value: number | undefined) => (value === undefined ? 'n/a' : value.toFixed(2));
  const rounds =
    ratio.oursToAedesByRound.length > 1
      ? `   (ours/aedes by round: ${ratio.oursToAedesByRound.map(show).join(', ')})`
      : '';
  const cost = `   broker CPU per message ours/aedes ${show(ratio.oursCpuPerMessageToAedes)}`;
  return `  QoS ${ratio.qos}   ours/aedes ${show(ratio.oursToAedes)}   ours/mosquitto ${show(ratio.oursToMosquitto)}${cost}${rounds}`;
}

export function renderText(results: BrokerBenchResults): string {
  const { header: h } = results;
  const o = h.options;
  const lines = [
    `fieldstation broker benchmark, ${h.startedAt}`,
    `  node ${h.node} on ${h.platform}, ${h.cpus} CPUs (${h.cpuModel}); mosquitto ${h.mosquitto}`,
    `  ${o.publishers} publishers -> 1 subscriber on fs/v1/#, payload ${whole.format(h.payloadBytes)} bytes (${o.batch} readings),`,
    `  window ${o.window} per publisher, ${o.seconds} s measured after ${o.warmup} s warm-up, a fresh broker per case,`,
    `  ${o.rounds} round(s), the brokers taking turns, another first each round; ours with client accounts' pattern rights (%c, denies)`,
    '  each broker in its own process; publishers in one worker thread, the subscriber in another',
    '',
    'Delivered to the subscriber (messages/s over the measured time)',
    ...results.cases.flatMap((result) => caseLines(result, o.rounds)),
    '',
    o.rounds > 1 ? 'Ratios of delivered rates (median over the rounds)' : 'Ratios of delivered rates',
    ...results.ratios.map(ratioLine),
  ];
  if (results.failures.length > 0) {
    lines.push('', 'Failures');
    for (const failure of results.failures)
      lines.push(`  round ${failure.round}: ${failure.broker} QoS ${failure.qos}: ${failure.message}`);
  }
  lines.push('', `Result: ${results.ok ? 'OK' : 'FAILED'}`);
  return `${lines.join('\n')}\n`;
}
