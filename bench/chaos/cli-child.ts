import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export type LogRecord = Record<string, unknown> & { msg?: string };

const HERE = dirname(fileURLToPath(import.meta.url));
// Built, this file is dist/bench/chaos/cli-child.js beside dist/cli/main.js; from the sources (the
// integration test) it is bench/chaos/cli-child.ts beside cli/main.ts, which tsx runs.
const FROM_SOURCES = import.meta.url.endsWith('.ts');
const CLI_ENTRY = join(resolve(HERE, '..', '..'), 'cli', FROM_SOURCES ? 'main.ts' : 'main.js');

export class ChaosError extends Error {
  constructor(
    readonly code: 'CHAOS_START_FAILED' | 'CHAOS_SETTLE_TIMEOUT',
    message: string,
  ) {
    super(message);
  }
}

/** The environment without any FS_ setting, so only what a scenario passes reaches the CLI. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('FS_')));
  return { ...env, ...extra };
}

/**
 * One `fieldstation` command as a child process, its JSON log lines read as they come: the chaos
 * script kills it with SIGKILL, so nothing it says on the way out may be relied on.
 */
export class CliChild {
  private readonly waiters = new Set<{ msg: string; resolve: (record: LogRecord) => void }>();
  private readonly tail: string[] = [];
  private stderr = '';
  readonly exited: Promise<unknown>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    private readonly onRecord: (record: LogRecord) => void,
  ) {
    this.exited = once(child, 'close');
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-2000);
    });
    if (child.stdout === null) return;
    createInterface({ input: child.stdout }).on('line', (line) => this.line(line));
  }

  static start(
    name: string,
    args: readonly string[],
    env: Record<string, string>,
    onRecord: (record: LogRecord) => void = () => undefined,
  ): CliChild {
    const runtime = FROM_SOURCES ? ['--import', 'tsx'] : [];
    const child = spawn(process.execPath, [...runtime, CLI_ENTRY, ...args], {
      env: cleanEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new CliChild(name, child, onRecord);
  }

  private line(line: string): void {
    let record: LogRecord;
    try {
      record = JSON.parse(line) as LogRecord;
    } catch {
      return;
    }
    this.tail.push(line);
    if (this.tail.length > 20) this.tail.shift();
    this.onRecord(record);
    for (const waiter of this.waiters) {
      if (record.msg !== waiter.msg) continue;
      this.waiters.delete(waiter);
      waiter.resolve(record);
    }
  }

  /** The first log line with `msg` from now on; fails if the process exits or the time runs out. */
  async waitForLog(msg: string, timeoutMs: number): Promise<LogRecord> {
    let waiter: { msg: string; resolve: (record: LogRecord) => void } | undefined;
    const logged = new Promise<LogRecord>((resolve) => {
      waiter = { msg, resolve };
      this.waiters.add(waiter);
    });
    let timer: NodeJS.Timeout | undefined;
    const failed = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(this.startFailed(msg, `no such line in ${timeoutMs} ms`)), timeoutMs);
      this.exited.then(() => reject(this.startFailed(msg, 'it exited first')), reject);
    });
    try {
      return await Promise.race([logged, failed]);
    } finally {
      clearTimeout(timer);
      if (waiter !== undefined) this.waiters.delete(waiter);
    }
  }

  private startFailed(msg: string, why: string): ChaosError {
    return new ChaosError(
      'CHAOS_START_FAILED',
      `${this.name} did not log "${msg}": ${why}\n${this.tail.join('\n')}\nstderr: ${this.stderr}`,
    );
  }

  /** The process's id, for reading its memory from /proc; undefined if it could not be started. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** SIGTERM: the process stops its parts as a service manager would have it do; resolves once it is gone. */
  async terminate(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }

  /** kill -9, and resolves once the process is gone and its output read to the end. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}
