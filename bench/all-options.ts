import { z } from 'zod';
import { parseBenchArgs } from './bench-args.js';
import { INFLUX_ALONE_SHAPE } from './influx-alone.js';
import { BenchUsageError, BrokerStoreSchema } from './options.js';

/** The total rate, in readings per second, at which each shape's latency is measured (issue 11). */
export const LATENCY_READINGS_PER_SECOND = 10_000;

/** A load shape of the pipeline benchmark that `npm run bench` runs; `args` go to pipeline.js. */
export interface PipelineShape {
  key: 'oneReading' | 'fiftyReadings';
  label: string;
  gateways: number;
  batch: number;
  args: readonly string[];
}

function shape(key: PipelineShape['key'], label: string, gateways: number, batch: number, limit: string[]) {
  const rate = String(LATENCY_READINGS_PER_SECOND / batch);
  const args = ['--gateways', String(gateways), '--batch', String(batch), ...limit, '--latency-rate', rate];
  return { key, label, gateways, batch, args: [...args, '--baseline-seconds', '0'] };
}

/** One reading per message as most loggers send them, and 50 per message as our gateway batches. */
export const PIPELINE_SHAPES: readonly PipelineShape[] = [
  shape('oneReading', '1 reading/msg', 5, 1, ['--readings', '100000']),
  shape('fiftyReadings', '50 readings/msg', 20, 50, ['--seconds', '15']),
];

export const AllOptionsSchema = z.object({
  brokerStore: BrokerStoreSchema.default('journal'),
  influxUrl: z.url({ protocol: /^https?$/ }).optional(),
  peers: z.boolean().default(false),
  json: z.boolean().default(false),
});

export type AllOptions = z.output<typeof AllOptionsSchema>;

export const ALL_USAGE = `npm run bench -- [options]

In one run: InfluxDB alone (${INFLUX_ALONE_SHAPE.points.toLocaleString('en-US')} pre-serialized points in ${INFLUX_ALONE_SHAPE.batch.toLocaleString('en-US')}-line requests, ${INFLUX_ALONE_SHAPE.writers} writers),
the pipeline benchmark with each shape below (a process of its own each, with its own private influxd,
broker and ingest; latency phase at ${LATENCY_READINGS_PER_SECOND.toLocaleString('en-US')} readings/s in total), the ingest's own peak
RSS with broker and ingest as processes of their own (split-memory.js; not with --json), the broker
benchmark, then a summary table.
${PIPELINE_SHAPES.map((s) => `  ${s.label.padEnd(16)} node dist/bench/pipeline.js ${s.args.join(' ')}`).join('\n')}

  --broker-store S  the broker's store in both pipeline shapes: journal (as fieldstation up runs it), disk (LevelDB) or memory (default journal)
  --influx-url URL  use this InfluxDB 1.x (no auth), throw-away databases, instead of private influxds
  --peers           also run the Node-RED peer (/work/shared/peers, needs mosquitto and npm; a few minutes)
  --json            print everything as one JSON document
  -h, --help        this text

Other options: npm run bench:pipeline -- --help, npm run bench:broker -- --help.`;

const FLAGS = { 'broker-store': 'brokerStore', 'influx-url': 'influxUrl' } as const satisfies Record<
  string,
  keyof AllOptions
>;

/** Parses argv (without node and script); returns undefined when help was asked for. */
export function parseAllOptions(argv: readonly string[]): AllOptions | undefined {
  return parseBenchArgs(argv, {
    schema: AllOptionsSchema,
    values: FLAGS,
    switches: ['peers'],
    usageError: (message) => new BenchUsageError(message),
  });
}
