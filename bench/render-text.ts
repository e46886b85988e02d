import type { CpuUsage } from './cpu-meter.js';
import type { BaselineOutcome, BaselineRun } from './influx-baseline.js';
import type { LatencyOutcome } from './latency-phase.js';
import { MAX_PROBES_PER_SECOND, probeEvery } from './load-phases.js';
import type { BenchResults, Diagnosis, Rate, RunHeader, ThroughputFigures } from './results.js';
import type { Distribution } from './stats.js';
import type { ThroughputOutcome } from './throughput-phase.js';
import type { WriteTimes } from './timed-writer.js';

const STORE_NOTES: Readonly<Record<string, string>> = {
  disk: ' (LevelDB)',
  journal: ' (state in memory, append-only journal on disk)',
};

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function n(value: number): string {
  return whole.format(value);
}

function ms(value: number): string {
  return value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0);
}

function pct(share: number): string {
  return `${(share * 100).toFixed(0)}%`;
}

function spread(d: Distribution): string {
  if (d.count === 0) return 'no samples';
  return `p50 ${ms(d.p50)}  p90 ${ms(d.p90)}  p99 ${ms(d.p99)}  max ${ms(d.max)} ms  (n=${n(d.count)})`;
}

function rateLine(r: Rate | undefined): string {
  if (r === undefined) return 'not reached';
  return `${n(r.readingsPerSecond)} readings/s, ${n(r.messagesPerSecond)} messages/s (${r.seconds.toFixed(2)} s)`;
}

function cpuLine(cpu: CpuUsage): string {
  const influxd =
    cpu.influxdCores === undefined ? 'influxd n/a' : `influxd ${cpu.influxdCores.toFixed(2)} cores`;
  const load = cpu.loadCores === undefined ? 'load n/a' : `load ${cpu.loadCores.toFixed(2)} cores`;
  return (
    `broker+ingest ${cpu.nodeCores.toFixed(2)} cores (ingest loop busy ${pct(cpu.mainLoopBusy)}, ` +
    `broker loop busy ${cpu.brokerLoopBusy === undefined ? 'n/a' : pct(cpu.brokerLoopBusy)}), ` +
    `${load}, ${influxd}, machine ${pct(cpu.machineBusy)} busy` +
    (cpu.otherCores === undefined ? '' : ` (other processes ${cpu.otherCores.toFixed(2)} cores)`)
  );
}

function mib(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}

/** `saturated`: the ingest always had a next message waiting, so the time between writes is its own work. */
function ingestWrites(w: WriteTimes, span: string, saturated: boolean): string[] {
  return [
    `  ingest writes    ${n(w.writes)} InfluxDB writes, each ${spread(w.write)}`,
    ...(saturated ? [`  between writes   ${spread(w.between)}`] : []),
    `                   a write was in flight ${pct(w.busyShare)} of ${span} (timed around the writer the ingest is given)`,
  ];
}

/** What environment the measured process ran under, so a figure is never read as the other's. */
function processEnvLine(choice: string, settings: readonly string[]): string {
  const shown = settings.length === 0 ? 'none of BROKER_PROCESS_ENV' : settings.join(' ');
  const note =
    choice === 'product'
      ? 'as npm start runs fieldstation up; broker/process-environment.ts says why'
      : 'without the environment npm start gives fieldstation up';
  return `  process env: ${choice}, ${shown} (${note})`;
}

function header(h: RunHeader): string[] {
  const o = h.options;
  const limit =
    h.throughputLimit.kind === 'seconds'
      ? `publish for ${h.throughputLimit.seconds} s`
      : `${n(h.throughputLimit.perGateway)} messages per gateway`;
  return [
    `fieldstation pipeline benchmark, ${h.startedAt}`,
    `  node ${h.node} on ${h.platform}, ${h.cpus} CPUs (${h.cpuModel})`,
    `  InfluxDB ${h.influxdb} (${h.influxd === 'private' ? 'private influxd in a temp dir' : 'given server, throw-away database'})`,
    `  ${o.gateways} gateways, ${o.batch} readings/message, window ${o.window} unacknowledged messages per client`,
    `  broker store: ${o.brokerStore}${STORE_NOTES[o.brokerStore] ?? ''}`,
    processEnvLine(o.processEnv, h.processEnv),
    `  throughput phase: ${limit}`,
    o.latencySeconds > 0
      ? `  latency phase: ${o.latencySeconds} s at ${o.latencyRate} messages/s in total, polls ${o.pollMs} ms apart`
      : '  latency phase: skipped',
    o.baselineSeconds > 0
      ? `  baseline: ${o.baselineSeconds} s with 1 writer, then ${o.baselineSeconds} s with ${o.baselineWriters} writers`
      : '  baseline: skipped',
  ];
}

function throughput(t: ThroughputOutcome, f: ThroughputFigures, countPollMs: number): string[] {
  const p = t.published;
  return [
    '',
    '1. Throughput: gateways -> broker -> ingest -> InfluxDB, publishing as fast as the window allows',
    `  sent             ${n(p.messages)} messages, ${n(p.readings)} readings`,
    `  end to end       ${rateLine(f.endToEnd)}`,
    '                   first publish until a count query on InfluxDB returned every reading',
    `                   (asked once the ingest counted every reading written, then every ${countPollMs} ms: late by 10 ms plus one query)`,
    `  ingest counters  ${rateLine(f.ingest)}`,
    '                   first publish until IngestService.stats() counted every reading written (10 ms resolution)',
    `  broker PUBACKs   ${rateLine(f.puback)}`,
    `  PUBACK latency   ${spread(p.puback)}`,
    '                   publish call -> PUBACK callback, while saturated',
    `  backlog          at most ${n(t.peakBacklog)} messages (~${mib(t.peakBacklog * (p.bytes / Math.max(1, p.messages)))} MiB of payload) acknowledged`,
    '                   by the broker but not yet written by the ingest (sampled every 0.5 s)',
    ...ingestWrites(t.ingestWrites, 'first publish until all written', true),
    `  CPU              ${cpuLine(t.cpu)}`,
  ];
}

function latency(l: LatencyOutcome, options: RunHeader['options'], saturation: Rate | undefined): string[] {
  const p = l.published;
  const share =
    saturation === undefined || saturation.messagesPerSecond === 0
      ? ''
      : ` (${pct(options.latencyRate / saturation.messagesPerSecond)} of phase 1's end-to-end message rate)`;
  return [
    '',
    `2. Latency at ${options.latencyRate} messages/s in total${share}`,
    `  sent             ${n(p.messages)} messages, ${n(p.readings)} readings in ${(p.sendMs / 1000).toFixed(2)} s (${n(Math.round((p.messages * 1000) / Math.max(1, p.sendMs)))} messages/s)` +
      (p.lateStarts > 0
        ? `; ${n(p.lateStarts)} started more than one interval late (the schedule catches up)`
        : ''),
    `  probes           ${n(p.probes)} messages carried one${p.probes < p.messages ? ` (every ${probeEvery(options.latencyRate)}th message of a gateway: at most ${MAX_PROBES_PER_SECOND}/s are followed)` : ''}`,
    `  stored           ${spread(l.storedBy)}`,
    "                   publish call -> InfluxDB answered the ingest's write of that message (exact: the",
    "                   writer handed to the ingest is wrapped and timed; the probe's value is its publish time)",
    `  visible (upper)  ${spread(l.visibleBy)}`,
    '                   publish call -> completion of the first poll that returned the probe reading',
    `  visible (lower)  ${spread(l.visibleAfter)}`,
    '                   publish call -> issue of the poll before it, which did not return it',
    `  poll query       ${spread(l.pollQuery)}${l.pollFailures > 0 ? `; ${n(l.pollFailures)} polls failed` : ''}`,
    `                   (one as soon as a probe is published, then every ${options.pollMs} ms until it is seen)`,
    `  broker PUBACK    ${spread(p.puback)}`,
    '                   publish call -> PUBACK callback; Aedes acknowledges a QoS 1 publish once it is',
    '                   authorised, before forwarding it, so this says nothing about storage',
    ...ingestWrites(l.ingestWrites, 'the phase', false),
    `  CPU              ${cpuLine(l.cpu)}`,
  ];
}

function baselineRun(run: BaselineRun): string {
  return `${n(run.writesPerSecond)} writes/s, ${n(run.readingsPerSecond)} readings/s; write ${spread(run.write)}`;
}

function baseline(b: BaselineOutcome): string[] {
  return [
    '',
    `3. InfluxDB alone: /write requests of ${b.batch} points, as the ingest sends them, no MQTT`,
    `  1 writer         ${baselineRun(b.serial)}`,
    `  ${`${b.concurrent.writers} writers`.padEnd(16)} ${baselineRun(b.concurrent)}`,
  ];
}

function diagnosis(d: Diagnosis, baseline: BaselineOutcome | undefined): string[] {
  if (d.ingestMsPerMessage === undefined) return [];
  const lines = [
    '',
    'Where the ingest time goes (phase 1)',
    `  ${ms(d.ingestMsPerMessage)} ms per message: a write in flight ${ms(d.ingestWriteMs)} ms (mean), then ${ms(d.ingestBetweenMs)} ms (mean)`,
    '  until the next write starts (acknowledge, receive, decode and encode the next message)',
  ];
  if (d.serialWriteMs === undefined || baseline === undefined) return lines;
  return [
    ...lines,
    `  InfluxDB alone: ${ms(d.serialWriteMs)} ms per write with one writer (mean); the ingest reached`,
    `  ${pct(d.shareOfSerialWriter ?? 0)} of that writer's rate; ${baseline.concurrent.writers} concurrent writers got ${(d.concurrentGain ?? 0).toFixed(2)}x the writes/s of one`,
  ];
}

export function renderText(results: BenchResults): string {
  const lines = [...header(results.header)];
  lines.push(
    ...throughput(results.throughput, results.throughput.figures, results.header.options.countPollMs),
  );
  if (results.latency) {
    lines.push(...latency(results.latency, results.header.options, results.throughput.figures.endToEnd));
  }
  if (results.baseline) lines.push(...baseline(results.baseline));
  lines.push(...diagnosis(results.diagnosis, results.baseline));
  lines.push(
    '',
    `Peak RSS of the broker+ingest process (as fieldstation up runs them, with the bench's own bookkeeping; the load generator runs in a process of its own): ${(results.peakRssBytes / 1024 / 1024).toFixed(0)} MiB`,
  );
  lines.push('', 'Checks');
  for (const check of results.checks) lines.push(`  ${check.name.padEnd(28)} ${check.detail}`);
  lines.push('', `Result: ${results.ok ? 'OK' : 'FAILED'}`);
  return `${lines.join('\n')}\n`;
}
