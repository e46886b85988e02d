import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LogMatch, type LogRecord, LogRecorder } from './log-recorder.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI_ENTRY = join(REPO_ROOT, 'cli', 'main.ts');

export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CliResult extends CliExit {
  stdout: string;
  stderr: string;
}

/** The environment of this process without any FS_ setting, so only what a test passes reaches the CLI. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('FS_')));
  return { ...env, ...extra };
}

function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
  // From the sources, as `node --import tsx cli/main.ts`: no build step between an edit and a test.
  return spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves once the process has exited and its output pipes are drained ('close', not 'exit'). */
function closed(child: ChildProcess): Promise<CliExit> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
}

/** Runs a short `fieldstation` command to its end; rejects (killing it) only if it outlives `timeoutMs`. */
export async function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = cleanEnv(),
  timeoutMs = 60_000,
): Promise<CliResult> {
  const child = spawnCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    const exit = await closed(child);
    if (exit.signal === 'SIGKILL') {
      throw new Error(
        `fieldstation ${args.join(' ')} was still running after ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`,
      );
    }
    return { ...exit, stdout, stderr };
  } finally {
    clearTimeout(timer);
  }
}

/** A long-running `fieldstation` command (e.g. `up`) whose stdout JSON log lines are parsed as they come. */
export class CliProcess {
  readonly logs = new LogRecorder();
  readonly exited: Promise<CliExit>;
  private stderrText = '';

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.logs.write(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrText += chunk;
    });
    this.exited = closed(child);
  }

  static start(args: readonly string[], env: NodeJS.ProcessEnv): CliProcess {
    return new CliProcess(spawnCli(args, env));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get stderr(): string {
    return this.stderrText;
  }

  /** The first log line with this message; rejects if the process exits first or the time runs out. */
  async waitForLog(msg: string, match?: LogMatch, timeoutMs = 90_000): Promise<LogRecord> {
    const exitedFirst = this.exited.then((exit) => {
      throw new Error(
        `fieldstation exited (${JSON.stringify(exit)}) before logging "${msg}"\nstderr: ${this.stderr}\n${this.logs.tail()}`,
      );
    });
    return Promise.race([this.logs.waitFor(msg, match, timeoutMs), exitedFirst]);
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** For cleanup after a failed test: kills the process if it still runs and waits for it. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}
