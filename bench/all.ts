/**
 * `npm run bench`: the pipeline benchmark, then the broker benchmark, one after the other so they
 * never share the machine. Arguments go to the pipeline benchmark as they always have (the broker
 * benchmark runs with its defaults; `npm run bench:broker -- ...` takes its own options). With
 * --json the two documents are printed as one: {"pipeline": ..., "broker": ...}.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface Outcome {
  code: number;
  stdout: string;
}

function runScript(script: string, args: readonly string[], capture: boolean): Promise<Outcome> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const child = spawn(process.execPath, [path, ...args], {
    stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
  });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code: code ?? (signal === null ? 1 : 128), stdout }));
  });
}

async function main(argv: readonly string[]): Promise<number> {
  const json = argv.includes('--json');
  const help = argv.includes('--help') || argv.includes('-h');
  const pipeline = await runScript('./pipeline.js', argv, json);
  // A usage error of the pipeline's options is not a reason to run anything else.
  if (pipeline.code === 2) return 2;
  if (!json) process.stdout.write('\n');
  const broker = await runScript('./broker.js', help ? ['--help'] : json ? ['--json'] : [], json);
  if (json) {
    const parse = (text: string): unknown => (text.trim() === '' ? null : JSON.parse(text));
    process.stdout.write(
      `${JSON.stringify({ pipeline: parse(pipeline.stdout), broker: parse(broker.stdout) }, null, 2)}\n`,
    );
  }
  return pipeline.code !== 0 ? pipeline.code : broker.code;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
