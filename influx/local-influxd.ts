import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { InfluxError } from './errors.js';
import { removePidFile, stopStaleProcess, writePidFile } from './stale-process.js';

export const INFLUXD_INSTALL_HINT = 'sudo apt-get install -y influxdb';

export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  server.listen(0, host);
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no TCP address for a free port');
  return address.port;
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
  binary?: string;
  startTimeoutMs?: number;
}

/**
 * A private `influxd` (InfluxDB 1.x) child process on a free loopback port, so a newcomer can try the
 * platform and the tests can run without configuring a database.
 */
export class LocalInfluxd {
  private child: ChildProcess | undefined;
  private port = 0;
  private rpcPort = 0;

  constructor(private readonly options: LocalInfluxdOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the server; after stop(), starting again reuses the same directory and ports. */
  async start(): Promise<string> {
    const dir = resolve(this.options.dir);
    await mkdir(dir, { recursive: true });
    // A restart keeps the ports it had, so clients configured with the URL reconnect to the same data.
    if (this.port === 0) this.port = await freePort();
    if (this.rpcPort === 0) this.rpcPort = await freePort();
    const pidFile = join(dir, 'influxd.pid');
    await stopStaleProcess(pidFile, 'influxd', this.options.logger);
    const configPath = join(dir, 'influxd.conf');
    await writeFile(configPath, influxdConfig(dir, this.port, this.rpcPort));
    const child = spawn(this.options.binary ?? 'influxd', ['-config', configPath], {
      stdio: ['ignore', 'ignore', 'pipe'],
      // Its own process group: a Ctrl-C in the terminal reaches only us, and stop() ends it after
      // everything else has flushed into it.
      detached: true,
    });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        const hint =
          error.code === 'ENOENT' ? `influxd is not installed; install it with: ${INFLUXD_INSTALL_HINT}` : '';
        reject(
          new InfluxError('INFLUX_UNREACHABLE', hint || `influxd failed to start: ${error.message}`, false),
        );
      });
      child.once('exit', (code) =>
        reject(
          new InfluxError('INFLUX_UNREACHABLE', `influxd exited with ${code} during start: ${stderr}`, false),
        ),
      );
    });
    // Once the process has failed, stop polling at once so the caller's error is not held up.
    const gaveUp = new AbortController();
    failed.catch(() => gaveUp.abort());
    await Promise.race([this.waitForPing(gaveUp.signal), failed]);
    await writePidFile(pidFile, child.pid);
    child.once('exit', (code, signal) => {
      if (this.child === child)
        this.options.logger?.error({ code, signal }, 'private influxd exited unexpectedly');
    });
    this.options.logger?.info({ url: this.url, dir, influxdPid: child.pid }, 'private influxd started');
    return this.url;
  }

  private async waitForPing(gaveUp: AbortSignal): Promise<void> {
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 30_000);
    while (Date.now() < deadline && !gaveUp.aborted) {
      try {
        const response = await fetch(`${this.url}/ping`);
        if (response.status === 204) return;
      } catch {
        // Not listening yet: influxd opens its HTTP port after loading its shards.
      }
      await new Promise((done) => setTimeout(done, 50));
    }
    throw new InfluxError('INFLUX_UNREACHABLE', `influxd did not answer /ping at ${this.url} in time`, false);
  }

  /** Stops the server with SIGTERM, or with the signal given (SIGKILL for crash tests). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
    await removePidFile(join(resolve(this.options.dir), 'influxd.pid'));
  }
}
