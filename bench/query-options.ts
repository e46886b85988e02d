import { parseArgs } from 'node:util';
import { z } from 'zod';
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
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        json: { type: 'boolean' },
        rounds: { type: 'string' },
        warmup: { type: 'string' },
      },
    });
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
  if (parsed.values.help === true) return undefined;
  const { rounds, warmup } = parsed.values;
  const result = QueryBenchOptionsSchema.safeParse({ json: parsed.values.json === true, rounds, warmup });
  if (!result.success) throw new BenchUsageError(z.prettifyError(result.error));
  return result.data;
}
