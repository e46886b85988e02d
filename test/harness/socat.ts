import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  /** One end, e.g. for the gateway's serial port. */
  a: string;
  /** The other end, where a test writes what a device would send. */
  b: string;
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * A connected pair of pseudo-terminals made by socat, in a private temp dir. Resolves once socat
 * reported both PTYs and entered its transfer loop (read from its stderr, no sleeping).
 */
export async function startPtyPair(): Promise<PtyPair> {
  const dir = await mkdtemp(join(tmpdir(), 'fs-socat-'));
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stop = async () => {
    child.kill('SIGTERM');
    await exited(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      let log = '';
      let ptys = 0;
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        log += chunk;
        ptys = (log.match(/PTY is /g) ?? []).length;
        if (ptys >= 2 && log.includes('starting data transfer loop')) resolve();
      });
      child.once('error', reject);
      child.once('exit', (code) =>
        reject(new Error(`socat exited with ${code} before the PTYs were ready:\n${log}`)),
      );
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { a, b, stop };
}
