import { z } from 'zod';
import { MAX_READINGS_PER_BATCH } from '../../protocol/index.js';
import { parseBenchArgs } from '../bench-args.js';

const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const amount = (min: number, max: number) => z.coerce.number().min(min).max(max);

export const BROKER_KINDS = ['ours', 'aedes', 'mosquitto'] as const;
export type BrokerKind = (typeof BROKER_KINDS)[number];
export type Qos = 0 | 1;

const commaList = z.string().transform((text) => [...new Set(text.split(',').map((part) => part.trim()))]);

export const BrokerBenchOptionsSchema = z.object({
  publishers: count(1, 1000).default(20),
  batch: count(1, MAX_READINGS_PER_BATCH).default(25),
  seconds: amount(1, 600).default(5),
  warmup: amount(0, 60).default(1),
  window: count(1, 1000).default(10),
  brokers: commaList.pipe(z.array(z.enum(BROKER_KINDS)).min(1)).default([...BROKER_KINDS]),
  qos: commaList
    .pipe(z.array(z.enum(['0', '1'])).min(1))
    .transform((levels) => levels.map((level): Qos => (level === '1' ? 1 : 0)))
    .default([0, 1]),
  drainTimeout: amount(1, 600).default(15),
  rounds: count(1, 20).default(1),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
  profile: z.string().min(1).optional(),
  json: z.boolean().default(false),
});

export type BrokerBenchOptions = z.output<typeof BrokerBenchOptionsSchema>;

export const USAGE = `npm run bench:broker -- [options]      (or: node dist/bench/broker.js [options])

Broker throughput: many publishers -> one subscriber, for three brokers started here on free
loopback ports, each in its own process: our BrokerServer (accounts, rights and every hook on),
a plain Aedes without hooks, and Debian's mosquitto. Clients run in worker threads of this process.

  --publishers N     publishing clients, one gateway account and topic each (default 20)
  --batch B          readings per message; 25 makes a ~2 KB readings batch (default 25)
  --seconds S        measured time per broker and QoS (default 5)
  --warmup S         publishing before the measurement starts (default 1)
  --window W         per publisher: unacknowledged QoS 1 messages, or QoS 0 writes waiting for the
                     socket to drain, at most (default 10)
  --brokers LIST     any of ours,aedes,mosquitto (default all three)
  --qos LIST         0, 1 or 0,1 (default 0,1)
  --drain-timeout S  after publishing stops, wait at most S seconds for the subscriber to catch up (default 15)
  --rounds N         measure every broker and QoS N times, the brokers taking turns; ratios are the
                     median of each round's (default 1)
  --log-level L      our broker's logs, JSON lines on stderr (default warn)
  --profile DIR      write a V8 CPU profile of each Node broker process (ours, aedes) to DIR,
                     one .cpuprofile per case (open in Chrome DevTools or speedscope)
  --json             print the results as one JSON document instead of text
  -h, --help         this text`;

export class BrokerBenchUsageError extends Error {
  readonly code = 'USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'BrokerBenchUsageError';
  }
}

const FLAGS = {
  publishers: 'publishers',
  batch: 'batch',
  seconds: 'seconds',
  warmup: 'warmup',
  window: 'window',
  brokers: 'brokers',
  qos: 'qos',
  'drain-timeout': 'drainTimeout',
  rounds: 'rounds',
  'log-level': 'logLevel',
  profile: 'profile',
} as const satisfies Record<string, keyof BrokerBenchOptions>;

/** Parses argv (without node and script); returns undefined when help was asked for. */
export function parseBrokerBenchOptions(argv: readonly string[]): BrokerBenchOptions | undefined {
  return parseBenchArgs(argv, {
    schema: BrokerBenchOptionsSchema,
    values: FLAGS,
    usageError: (message) => new BrokerBenchUsageError(message),
  });
}
