/**
 * `npm run bench:query` (issue 10, point 5): how much slower the API answers a year of one sensor
 * than InfluxDB answers the InfluxQL the API sends for it. A private influxd, a year of 5-minute
 * readings, the API listening on loopback, then paired, interleaved requests read to the last byte.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeySpecSchema } from '../api/keys/api-key.js';
import { FileKeyStore } from '../api/keys/file-key-store.js';
import { RAW_PAGE_DEFAULT } from '../api/routes/series/series-params.js';
import { InfluxQueryClient, LocalInfluxd, quoteIdentifier } from '../influx/index.js';
import { runBenchMain } from './bench-main.js';
import { BenchUsageError } from './options.js';
import { startQueryApi } from './query-api.js';
import { queryCases } from './query-cases.js';
import { checkAnswers } from './query-checks.js';
import { parseQueryBenchOptions, QUERY_USAGE, type QueryBenchOptions } from './query-options.js';
import { type QueryBenchResults, renderQueryBench } from './query-render.js';
import { runRounds } from './query-rounds.js';
import { writeYear } from './query-year.js';

const DATABASE = 'bench_query';

function say(message: string): void {
  process.stderr.write(`bench:query: ${message}\n`);
}

async function measure(options: QueryBenchOptions, dir: string): Promise<QueryBenchResults> {
  const influxd = new LocalInfluxd({ dir: join(dir, 'influxdb') });
  try {
    const influxUrl = await influxd.start();
    const queries = new InfluxQueryClient({ url: influxUrl }, DATABASE);
    const { version } = await queries.ping();
    await queries.execute(`CREATE DATABASE ${quoteIdentifier(DATABASE)}`);
    say('writing a year of 5-minute readings');
    const points = await writeYear(influxUrl, DATABASE);
    const keysFile = join(dir, 'keys.json');
    // A reader key, as a researcher's script would send: every route but /healthz asks for one.
    const reader = await new FileKeyStore(keysFile).add(
      ApiKeySpecSchema.parse({ name: 'bench', role: 'reader' }),
    );
    const api = await startQueryApi({ influxUrl, database: DATABASE, keysFile });
    try {
      const cases = queryCases({
        apiUrl: api.url,
        influxUrl,
        database: DATABASE,
        apiAuthorization: `Bearer ${reader.key}`,
      });
      const check = await checkAnswers(cases, points);
      say(`${options.warmup} warm-up and ${options.rounds} timed rounds`);
      const outcomes = await runRounds(cases, options.rounds, options.warmup, (round) => {
        if (round >= 0) say(`round ${round + 1}/${options.rounds}`);
      });
      const { rounds, warmup } = options;
      return {
        influxdb: version,
        points,
        rounds,
        warmup,
        rawPageLimit: RAW_PAGE_DEFAULT,
        check,
        cases: outcomes,
      };
    } finally {
      await api.stop();
    }
  } finally {
    await influxd.stop();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let options: QueryBenchOptions | undefined;
  try {
    options = parseQueryBenchOptions(argv);
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    process.stderr.write(`${error.message}\n(npm run bench:query -- --help lists the options)\n`);
    return 2;
  }
  if (options === undefined) {
    process.stdout.write(`${QUERY_USAGE}\n`);
    return 0;
  }
  const dir = await mkdtemp(join(tmpdir(), 'fs-bench-query-'));
  try {
    const results = await measure(options, dir);
    process.stdout.write(options.json ? `${JSON.stringify(results, null, 2)}\n` : renderQueryBench(results));
    return 0;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

runBenchMain('bench:query', main);
