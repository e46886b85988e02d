import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../influx/index.js';

export interface TestRedis {
  url: string;
  port: number;
  /** Stops redis-server (SIGTERM, nothing saved) and removes its temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

const READY_LINE = 'Ready to accept connections';
const START_TIMEOUT_MS = 10_000;

/** Resolves when redis-server logs that it accepts connections; rejects if it exits or stays silent. */
function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => fail(new Error(`redis-server not ready after ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    const onData = (chunk: string): void => {
      output += chunk;
      if (!output.includes(READY_LINE)) return;
      cleanup();
      resolve();
    };
    const onExit = (code: number | null): void =>
      fail(new Error(`redis-server exited (${code}) before it was ready`));
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', fail);
    };
    function fail(error: Error): void {
      cleanup();
      reject(new Error(`${error.message}\n${output}`));
    }
    child.stdout?.setEncoding('utf8').on('data', onData);
    child.once('exit', onExit);
    child.once('error', fail);
  });
}

/** One PING over plain RESP, so readiness is checked by the protocol and not only by the log. */
function ping(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.setEncoding('utf8');
    socket.once('data', (reply: string) => {
      socket.destroy();
      if (reply.startsWith('+PONG')) resolve();
      else reject(new Error(`redis-server answered PING with ${JSON.stringify(reply)}`));
    });
    socket.once('error', reject);
  });
}

function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** A real redis-server (Debian's) on a free loopback port with a temp dir, saving nothing. */
export async function startTestRedis(): Promise<TestRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'fs-redis-'));
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = async (): Promise<void> => {
    await stopped(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await ready(child);
    await ping(port);
  } catch (error) {
    await stop();
    throw error;
  }
  // Keep reading, or a chatty server would block on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  return { url: `redis://127.0.0.1:${port}`, port, stop };
}
