import { type ChildProcess, spawn } from 'node:child_process';

/** A socat PTY pair whose links are at fixed paths, so a test can make a port vanish and come back. */
export interface FixedPtyPair {
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts socat with PTY links at `a` and `b` (in a directory the test owns and removes). Resolves
 * once socat reported both PTYs and entered its transfer loop; stop() kills it and its links go.
 */
export async function startPtyPairAt(a: string, b: string): Promise<FixedPtyPair> {
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stop = async () => {
    child.kill('SIGTERM');
    await exited(child);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      let log = '';
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        log += chunk;
        if ((log.match(/PTY is /g) ?? []).length >= 2 && log.includes('starting data transfer loop'))
          resolve();
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
  return { stop };
}
