/**
 * `npm run bench:chaos`: kill -9 of each component at random moments under load, then what every
 * publisher produced against what InfluxDB holds. Not a test: it runs for minutes (bench/chaos/).
 */
import { randomInt } from 'node:crypto';
import { ChaosUsageError, parseChaosOptions, USAGE } from './chaos/options.js';
import { failed, renderTable } from './chaos/report.js';
import { runChaos } from './chaos/run-chaos.js';

function say(line: string): void {
  process.stderr.write(`chaos: ${line}\n`);
}

async function main(): Promise<number> {
  const options = parseChaosOptions(process.argv.slice(2), randomInt(2 ** 31));
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  say(
    `seed ${options.seed} (replay with --seed ${options.seed}); ${options.cycles} cycles of ${options.components.join(', ')}`,
  );
  const results = await runChaos({ ...options, say });
  process.stdout.write(`${renderTable(results)}\nseed ${options.seed}\n`);
  return results.some(failed) ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `chaos: ${error instanceof ChaosUsageError ? error.message : String((error as Error).stack ?? error)}\n`,
    );
    process.exitCode = 2;
  },
);
