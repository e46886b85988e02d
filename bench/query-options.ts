import { z } from 'zod';
import { parseBenchArgs } from './bench-args.js';
import { BenchUsageError } from './options.js';

const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const QueryBenchOptionsSchema = z.object({
  rounds: count(1, 1000).default(15),
  warmup: count(0, 100).default(3),
  json: z.boolean().default(false),
});

export type QueryBenchOptions = z.output<typeof QueryBenchOptionsSchema>;

export const QUERY_USAGE = `npm run bench:query -- [options]      (or: node dist/bench/query.js [options])

Starts a private influxd, writes a year of 5-minute readings of one sensor into it (with outages and
QC flags), starts the API on a loopback port, then times paired requests, API and the same InfluxQL
straight to InfluxDB, interleaved so the machine's noise hits both: raw JSON, raw CSV, hourly means.
Prints median and p90 of each side and the ratio API/bare.

  --rounds N    timed rounds (default 15); each times every case once on each side
  --warmup N    untimed rounds first (default 3)
  --json        print the results as one JSON document instead of text
  -h, --help    this text`;

/** Parses argv (without node and script); returns undefined when help was asked for. */
export function parseQueryBenchOptions(argv: readonly string[]): QueryBenchOptions | undefined {
  return parseBenchArgs(argv, {
    schema: QueryBenchOptionsSchema,
    values: { rounds: 'rounds', warmup: 'warmup' },
    usageError: (message) => new BenchUsageError(message),
  });
}
