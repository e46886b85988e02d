import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  /** One end, e.g. for the gateway's serial port. */
  a: string;
  /** The other end, where an emulated device (or a test) writes what the instrument would send. */
  b: string;
  stop(): Promise<void>;
}

export interface PtyPairOptions {
  /** Stable paths for the two ends (symlinks socat makes); default: a private temp dir. */
  links?: { a: string; b: string };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function waitUntilReady(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let log = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      log += chunk;
      const ptys = (log.match(/PTY is /g) ?? []).length;
      if (ptys >= 2 && log.includes('starting data transfer loop')) resolve();
    });
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error(
              'socat is not installed (Debian: apt-get install socat); it makes the virtual serial ports',
            )
          : error,
      ),
    );
    child.once('exit', (code) =>
      reject(new Error(`socat exited with ${code} before the PTYs were ready:\n${log}`)),
    );
  });
}

/**
 * A connected pair of pseudo-terminals made by socat: a virtual serial cable. Resolves once socat
 * reported both PTYs and entered its transfer loop (read from its stderr, no sleeping).
 */
export async function startPtyPair(options: PtyPairOptions = {}): Promise<PtyPair> {
  const dir = options.links === undefined ? await mkdtemp(join(tmpdir(), 'fs-socat-')) : undefined;
  const a = options.links?.a ?? join(dir as string, 'a');
  const b = options.links?.b ?? join(dir as string, 'b');
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stop = async () => {
    child.kill('SIGTERM');
    await exited(child);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { a, b, stop };
}
