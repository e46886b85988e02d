import { type ChildProcess, fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { type AddressInfo, connect, createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrokerProcessMessage, BrokerProcessRequest } from './broker-process-messages.js';
import type { BrokerKind } from './options.js';

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;

/** A broker under test, in its own process. */
export interface RunningBroker {
  kind: BrokerKind;
  port: number;
  pid: number | undefined;
  stop(): Promise<void>;
}

export class BrokerStartError extends Error {
  readonly code = 'BROKER_START_FAILED';
  constructor(
    readonly kind: BrokerKind,
    message: string,
  ) {
    super(`${kind}: ${message}`);
    this.name = 'BrokerStartError';
  }
}

async function stopChild(child: ChildProcess, ask: () => void): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  ask();
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * Our BrokerServer or a plain Aedes, in a node process started from dist/bench/broker/broker-process.js;
 * with `profileDir`, V8 writes the process's CPU profile there when it exits.
 */
export async function startNodeBroker(
  request: BrokerProcessRequest,
  profileDir?: string,
): Promise<RunningBroker> {
  const script = fileURLToPath(new URL('./broker-process.js', import.meta.url));
  const execArgv = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  const child = fork(script, [JSON.stringify(request)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv,
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new BrokerStartError(request.kind, 'did not listen in time')),
      START_TIMEOUT_MS,
    );
    child.on('message', (message: BrokerProcessMessage) => {
      clearTimeout(timer);
      if (message.type === 'listening') resolve(message.port);
      else if (message.type === 'failed') reject(new BrokerStartError(request.kind, message.message));
    });
    child.once('exit', (code) => reject(new BrokerStartError(request.kind, `exited with code ${code}`)));
  }).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    kind: request.kind,
    port,
    pid: child.pid,
    stop: () => stopChild(child, () => child.send({ type: 'stop' } satisfies BrokerProcessMessage)),
  };
}

/** A port free right now; mosquitto cannot be told to pick one itself. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new BrokerStartError('mosquitto', `exited with code ${child.exitCode}`);
    if (await canConnect(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new BrokerStartError('mosquitto', `did not listen on ${port} in time`);
}

/**
 * Debian's mosquitto with its defaults apart from what a benchmark needs: one loopback listener,
 * anonymous clients, no persistence file. (Its default queue limits stay: max_inflight_messages 20
 * and max_queued_messages 1000 per client, beyond which it drops messages for a slow subscriber.)
 * `settings`: further lines for its config file (a peer benchmark's own limits).
 */
export async function startMosquitto(dir: string, settings: readonly string[] = []): Promise<RunningBroker> {
  const port = await freePort();
  const config = join(dir, 'mosquitto.conf');
  await writeFile(
    config,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      'log_dest stderr',
      'log_type error',
      ...settings,
      '',
    ].join('\n'),
  );
  const child = spawn('mosquitto', ['-c', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  const spawned = once(child, 'spawn').then(
    () => undefined,
    (error: Error) => {
      throw new BrokerStartError('mosquitto', `${error.message} (apt-get install mosquitto)`);
    },
  );
  await spawned;
  try {
    await waitForPort(port, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    kind: 'mosquitto',
    port,
    pid: child.pid,
    stop: () => stopChild(child, () => child.kill('SIGTERM')),
  };
}

/** mosquitto's version as its help text states it, e.g. "2.0.11". */
export async function mosquittoVersion(): Promise<string> {
  const child = spawn('mosquitto', ['-h'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  await once(child, 'exit').catch(() => undefined);
  return /mosquitto version (\S+)/.exec(text)?.[1] ?? 'unknown';
}
