import { z } from 'zod';
import { MAX_READINGS_PER_BATCH } from '../protocol/index.js';
import { parseBenchArgs } from './bench-args.js';

/**
 * The broker's store in a pipeline run: `disk` (LevelDB), `journal` (state in memory, changes in an
 * append-only journal), `memory` (nothing on disk, as Mosquitto by default).
 */
export const BrokerStoreSchema = z.enum(['disk', 'journal', 'memory']);
export type BrokerStore = z.infer<typeof BrokerStoreSchema>;

/**
 * The environment the broker+ingest process runs under: `product`, BROKER_PROCESS_ENV as `npm start`
 * gives `fieldstation up`; `bare`, without it (to measure what it changes).
 */
export const ProcessEnvSchema = z.enum(['product', 'bare']);
export type ProcessEnv = z.infer<typeof ProcessEnvSchema>;

const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const amount = (min: number, max: number) => z.coerce.number().min(min).max(max);

/** Throughput phase length when neither --seconds nor --readings is given. */
export const DEFAULT_THROUGHPUT_SECONDS = 15;

export const BenchOptionsSchema = z
  .object({
    gateways: count(1, 1000).default(20),
    batch: count(1, MAX_READINGS_PER_BATCH).default(50),
    seconds: amount(1, 600).optional(),
    readings: count(1, 100_000_000).optional(),
    window: count(1, 1000).default(10),
    latencySeconds: amount(0, 600).default(15),
    latencyRate: amount(0.1, 10_000).default(20),
    pollMs: count(1, 10_000).default(5),
    countPollMs: count(5, 10_000).default(100),
    drainTimeout: amount(1, 3600).default(60),
    baselineSeconds: amount(0, 600).default(3),
    baselineWriters: count(2, 64).default(4),
    influxUrl: z.url({ protocol: /^https?$/ }).optional(),
    brokerStore: BrokerStoreSchema.default('journal'),
    processEnv: ProcessEnvSchema.default('product'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
    json: z.boolean().default(false),
    resultsFile: z.string().min(1).optional(),
  })
  .refine((options) => options.seconds === undefined || options.readings === undefined, {
    message: '--seconds and --readings exclude each other',
  });

export type BenchOptions = z.output<typeof BenchOptionsSchema>;

export const USAGE = `npm run bench -- [options]      (or: node dist/bench/pipeline.js [options])

Starts a private influxd, the broker and the ingest on free loopback ports in a temp dir, then:
  1. throughput: every gateway publishes QoS 1 batches as fast as its in-flight window allows;
  2. latency: a fixed total message rate, each message's probe reading carrying its publish time;
  3. baseline: the same writes straight to InfluxDB, without MQTT (one writer, then several).

  --gateways N          gateway clients, each with its own broker account (default 20)
  --batch B             readings per message (default 50, at most ${MAX_READINGS_PER_BATCH})
  --seconds S           throughput phase: publish for S seconds (default ${DEFAULT_THROUGHPUT_SECONDS})
  --readings R          throughput phase: publish R readings instead (rounded up to whole messages)
  --window W            unacknowledged messages per gateway client at most (default 10)
  --latency-seconds S   latency phase length; 0 skips it (default 15)
  --latency-rate M      latency phase: messages per second over all gateways (default 20)
  --poll-ms P           latency phase: gap between InfluxDB polls while a probe is outstanding (default 5)
  --count-poll-ms P     throughput phase: count-query interval once publishing is done (default 100)
  --drain-timeout S     give up waiting for InfluxDB to hold every reading after S seconds (default 60)
  --baseline-seconds S  length of each InfluxDB-only run; 0 skips them (default 3)
  --baseline-writers N  concurrent writers in the second InfluxDB-only run (default 4)
  --broker-store S      the broker's store: journal (as fieldstation up runs it), disk (LevelDB) or memory (default journal)
  --process-env E      product: the environment \`npm start\` gives up (BROKER_PROCESS_ENV, a glibc malloc
                        setting); bare: without it; the bench starts itself again if its own differs (default product)
  --influx-url URL      use this InfluxDB 1.x (no auth) with a throw-away database instead of a private influxd
  --log-level L         logs of the broker and ingest, JSON lines on stderr (default warn)
  --json                print the results as one JSON document instead of text
  --results-file F      also write the results as JSON to file F (npm run bench reads them from there)
  -h, --help            this text`;

export class BenchUsageError extends Error {
  readonly code = 'USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'BenchUsageError';
  }
}

const FLAGS = {
  gateways: 'gateways',
  batch: 'batch',
  seconds: 'seconds',
  readings: 'readings',
  window: 'window',
  'latency-seconds': 'latencySeconds',
  'latency-rate': 'latencyRate',
  'poll-ms': 'pollMs',
  'count-poll-ms': 'countPollMs',
  'drain-timeout': 'drainTimeout',
  'baseline-seconds': 'baselineSeconds',
  'baseline-writers': 'baselineWriters',
  'influx-url': 'influxUrl',
  'broker-store': 'brokerStore',
  'process-env': 'processEnv',
  'log-level': 'logLevel',
  'results-file': 'resultsFile',
} as const satisfies Record<string, keyof BenchOptions>;

/** Parses argv (without node and script); returns undefined when help was asked for. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions | undefined {
  return parseBenchArgs(argv, {
    schema: BenchOptionsSchema,
    values: FLAGS,
    usageError: (message) => new BenchUsageError(message),
  });
}
