import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { InfluxError } from './errors.js';
import type { ServerExit } from './influxd-supervisor.js';
import { removePidFile, stopStaleProcess, writePidFile } from './stale-process.js';

export const INFLUXD_INSTALL_HINT = 'sudo apt-get install -y influxdb';

/**
 * Ports nobody listens on now, all different: each is held open until every one is found, since a port
 * closed at once may be handed out again by the very next request.
 */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  try {
    const ports: number[] = [];
    for (const server of servers) {
      server.listen(0, host);
      await once(server, 'listening');
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no TCP address for a free port');
      ports.push(address.port);
    }
    return ports;
  } finally {
    for (const server of servers) if (server.listening) server.close();
  }
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  const [port] = await freePorts(1, host);
  if (port === undefined) throw new Error('no TCP address for a free port');
  return port;
}

function influxdConfig(dir: string, httpPort: number, rpcPort: number): string {
  return [
    'reporting-disabled = true',
    `bind-address = "127.0.0.1:${rpcPort}"`,
    '[meta]',
    `  dir = "${join(dir, 'meta')}"`,
    '[data]',
    `  dir = "${join(dir, 'data')}"`,
    `  wal-dir = "${join(dir, 'wal')}"`,
    '  query-log-enabled = false',
    '[http]',
    `  bind-address = "127.0.0.1:${httpPort}"`,
    '  log-enabled = false',
    '[monitor]',
    '  store-enabled = false',
    '[continuous_queries]',
    '  enabled = false',
    '',
  ].join('\n');
}

export interface LocalInfluxdOptions {
  /** Directory for the server's data; created if missing. */
  dir: string;
  logger?: Logger;
  /** The influxd to run: a path, or a name looked up on the PATH (`influxd` when absent). */
  binary?: string;
  startTimeoutMs?: number;
  /** Called when the server, once started, exits without stop(): it crashed or was killed from outside. */
  onUnexpectedExit?: (exit: ServerExit) => void;
}

function isRunning(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

/**
 * A private `influxd` (InfluxDB 1.x) child process on a free loopback port, so a newcomer can try the
 * platform and the tests can run without configuring a database.
 */
export class LocalInfluxd {
  private child: ChildProcess | undefined;
  private port = 0;
  private rpcPort = 0;
  /** Counts start() and stop() calls: a start that sees it change was overtaken by stop(). */
  private generation = 0;
  /** The pid file being written by start(), which stop() lets finish before it removes the file. */
  private pidFileWritten: Promise<void> = Promise.resolve();

  constructor(private readonly options: LocalInfluxdOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private get pidFile(): string {
    return join(resolve(this.options.dir), 'influxd.pid');
  }

  /**
   * Starts the server and resolves with its URL once it answers /ping within `timeoutMs`; after
   * stop() or an exit, starting again reuses the same directory and ports.
   */
  async start(timeoutMs = this.options.startTimeoutMs ?? 30_000): Promise<string> {
    const generation = ++this.generation;
    const dir = resolve(this.options.dir);
    await mkdir(dir, { recursive: true });
    // A restart keeps the ports it had, so clients configured with the URL reconnect to the same data.
    if (this.port === 0) {
      const [http, rpc] = await freePorts(2);
      if (http === undefined || rpc === undefined) throw new Error('no free ports for influxd');
      this.port = http;
      this.rpcPort = rpc;
    }
    await stopStaleProcess(this.pidFile, 'influxd', this.options.logger);
    const configPath = join(dir, 'influxd.conf');
    await writeFile(configPath, influxdConfig(dir, this.port, this.rpcPort));
    // A stop() during the waits above found no child to end; spawning now would leave one behind.
    if (generation !== this.generation) throw this.cancelled();
    let ready = false;
    const child = this.spawn(configPath, () => ready);
    this.child = child;
    // The pid is recorded at once, so a run killed while influxd loads its shards still finds it next
    // time; untilReady is called first so that it hears an exit that comes while the file is written.
    const answered = this.untilReady(child, timeoutMs);
    this.pidFileWritten = writePidFile(this.pidFile, child.pid);
    try {
      await Promise.all([answered, this.pidFileWritten]);
    } catch (error) {
      await this.discard(child);
      throw generation === this.generation ? error : this.cancelled();
    }
    if (generation !== this.generation) throw this.cancelled();
    ready = true;
    this.options.logger?.info({ url: this.url, dir, influxdPid: child.pid }, 'private influxd started');
    return this.url;
  }

  private spawn(configPath: string, ready: () => boolean): ChildProcess {
    const child = spawn(this.options.binary ?? 'influxd', ['-config', configPath], {
      stdio: ['ignore', 'ignore', 'pipe'],
      // Its own process group: a Ctrl-C in the terminal reaches only us, and stop() ends it after
      // everything else has flushed into it.
      detached: true,
    });
    child.once('exit', (code, signal) => {
      // stop() and a failed start let go of the child before it ends; only an exit nobody asked for is reported.
      if (this.child !== child) return;
      this.child = undefined;
      if (!ready()) return;
      this.options.logger?.error(
        { code, signal, influxdPid: child.pid },
        'private influxd exited unexpectedly',
      );
      this.options.onUnexpectedExit?.({ code, signal });
    });
    return child;
  }

  private cancelled(): InfluxError {
    return new InfluxError(
      'INFLUX_UNREACHABLE',
      'influxd start cancelled: the server is being stopped',
      false,
    );
  }

  /** Resolves once the child answers /ping; rejects when it exits or fails first, or in `timeoutMs`. */
  private async untilReady(child: ChildProcess, timeoutMs: number): Promise<void> {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) => reject(this.spawnError(error)));
      child.once('exit', (code) =>
        reject(
          new InfluxError(
            'INFLUX_UNREACHABLE',
            `influxd exited with ${code} during start: ${stderr.trim()}`,
            false,
          ),
        ),
      );
    });
    // Once the process has failed, stop polling at once so the caller's error is not held up.
    const gaveUp = new AbortController();
    failed.catch(() => gaveUp.abort());
    try {
      await Promise.race([this.waitForPing(gaveUp.signal, timeoutMs), failed]);
    } finally {
      gaveUp.abort();
    }
  }

  private spawnError(error: NodeJS.ErrnoException): InfluxError {
    const binary = this.options.binary ?? 'influxd';
    if (error.code !== 'ENOENT')
      return new InfluxError('INFLUX_UNREACHABLE', `influxd failed to start: ${error.message}`, false);
    const message =
      binary === 'influxd'
        ? `influxd is not installed; install it with: ${INFLUXD_INSTALL_HINT}`
        : `the influxd binary ${binary} does not exist`;
    return new InfluxError('INFLUX_UNREACHABLE', message, false);
  }

  /** Ends a child whose start failed, so a retry never finds two servers on one data directory. */
  private async discard(child: ChildProcess): Promise<void> {
    if (this.child === child) this.child = undefined;
    if (!isRunning(child)) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  private async waitForPing(gaveUp: AbortSignal, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !gaveUp.aborted) {
      try {
        // Bounded too: an influxd that accepts connections but hangs must not hold the start past its time.
        const response = await fetch(`${this.url}/ping`, {
          signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
        });
        if (response.status === 204) return;
      } catch {
        // Not listening yet: influxd opens its HTTP port after loading its shards.
      }
      await new Promise((done) => setTimeout(done, 50));
    }
    throw new InfluxError('INFLUX_UNREACHABLE', `influxd did not answer /ping at ${this.url} in time`, false);
  }

  /**
   * Stops the server with SIGTERM, or with the signal given (SIGKILL for crash tests), and cancels a
   * start under way.
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    this.generation += 1;
    const child = this.child;
    this.child = undefined;
    if (child !== undefined && isRunning(child)) {
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    }
    // Also after a crash: the pid file names a process that is gone.
    await this.pidFileWritten.catch(() => undefined);
    if (this.port !== 0) await removePidFile(this.pidFile);
  }
}
