import { LATENCY_READINGS_PER_SECOND } from './all-options.js';
import type { InfluxAloneOutcome } from './influx-alone.js';
import type { PeerOutcome } from './peers.js';
import type { Distribution } from './stats.js';
import type { BenchSummary, ShapeSummary } from './summary.js';

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function n(value: number | undefined): string {
  return value === undefined ? '-' : whole.format(value);
}

function ms(value: number): string {
  return value < 10 ? value.toFixed(1) : value.toFixed(0);
}

function spread(d: Distribution): string {
  return `p50 ${ms(d.p50)}  p99 ${ms(d.p99)}  max ${ms(d.max)} ms`;
}

function pair(value: { p50: number; p99: number } | undefined): string {
  return value === undefined ? '-' : `${ms(value.p50)} / ${ms(value.p99)}`;
}

function mib(bytes: number | undefined): string {
  return bytes === undefined ? '-' : `${(bytes / 1048576).toFixed(0)} MiB`;
}

function share(value: number | undefined): string {
  return value === undefined ? '-' : `${(value * 100).toFixed(1)}%`;
}

const COLUMNS = [18, 12, 10, 18, 21, 10, 15] as const;

function row(cells: readonly string[]): string {
  const padded = cells.map((cell, index) =>
    index === 0 ? cell.padEnd(COLUMNS[0]) : cell.padStart(COLUMNS[index] ?? 0),
  );
  return `  ${padded.join('  ')}`.trimEnd();
}

function latencyVerdict(shape: ShapeSummary): string {
  if (shape.latency === undefined) return '-';
  return shape.latency.saturated.length > 0 ? 'saturated' : 'kept up';
}

function shapeRow(shape: ShapeSummary): string {
  return row([
    shape.label,
    n(shape.readingsPerSecond),
    share(shape.shareOfInfluxAlone),
    pair(shape.latency?.puback),
    pair(shape.latency?.queryable),
    mib(shape.peakRssBytes),
    latencyVerdict(shape),
  ]);
}

function notes(summary: BenchSummary): string[] {
  const lines: string[] = [];
  for (const shape of summary.shapes) {
    if (shape.readingsPerSecond === undefined)
      lines.push(`  ${shape.label}: the run gave no end-to-end figure`);
    if (!shape.ok) lines.push(`  ${shape.label}: a check FAILED (see its section above)`);
    for (const reason of shape.latency?.saturated ?? []) lines.push(`  ${shape.label}: saturated: ${reason}`);
  }
  return lines;
}

export function renderSummary(
  summary: BenchSummary,
  brokerStore: string,
  peer: PeerOutcome | undefined,
): string {
  const lines = [
    `Summary (broker store ${brokerStore}; latencies at ${n(LATENCY_READINGS_PER_SECOND)} readings/s in total)`,
    row(['', 'readings/s', 'of alone', 'PUBACK p50/p99', 'queryable p50/p99', 'peak RSS', 'latency phase']),
    row(['InfluxDB alone', n(summary.influxAlonePointsPerSecond), '100%']),
    ...summary.shapes.map(shapeRow),
  ];
  if (peer !== undefined) {
    lines.push(
      row([
        'Node-RED (peer)',
        n(peer.readingsPerSecond),
        share(
          peer.readingsPerSecond && summary.influxAlonePointsPerSecond
            ? peer.readingsPerSecond / summary.influxAlonePointsPerSecond
            : undefined,
        ),
        '',
        '',
        mib(peer.peakRssBytes),
      ]),
    );
  }
  lines.push(
    '',
    '  readings/s: end to end (first publish until InfluxDB returned every reading); InfluxDB alone: points/s',
    '  PUBACK and queryable (publish call -> first poll that returned the reading): ms, in the latency phase',
    '  latency phase: saturated when it could not run at the rate asked (why: below)',
    '  peak RSS: of the process that runs the broker and the ingest together (as fieldstation up does,',
    "  without the API) and the bench's bookkeeping; the gateway clients run in a process of their own",
    ...(peer === undefined ? [] : [`  Node-RED: ${peer.detail}`]),
    ...notes(summary),
  );
  return `${lines.join('\n')}\n`;
}

export function renderInfluxAlone(alone: InfluxAloneOutcome): string {
  return [
    `InfluxDB alone (${alone.influxdb}), no MQTT, no ingest: ${n(alone.points)} points, pre-serialized as the ingest`,
    `encodes readings, in ${n(alone.batch)}-line /write requests from ${alone.writers} writers at once`,
    `  ${n(alone.pointsPerSecond)} points/s (${alone.seconds.toFixed(2)} s); one request ${spread(alone.write)}`,
    '',
  ].join('\n');
}
