import { readFile, rm, writeFile } from 'node:fs/promises';
import type { Logger } from 'pino';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function commandOf(pid: number): Promise<string> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((done) => setTimeout(done, 50));
  }
  return true;
}

/**
 * A process recorded in `pidFile` that still runs `expected` was left behind by a run that died
 * without stopping it (kill -9): two servers on one data directory would corrupt it, so the old one
 * is stopped first, with SIGTERM and then SIGKILL.
 */
export async function stopStaleProcess(pidFile: string, expected: string, logger?: Logger): Promise<void> {
  const pid = Number.parseInt(await readFile(pidFile, 'utf8').catch(() => ''), 10);
  if (!Number.isInteger(pid) || pid <= 1 || !isAlive(pid) || !(await commandOf(pid)).includes(expected))
    return;
  logger?.warn({ pid, pidFile }, `stopping a ${expected} left running by an earlier run`);
  process.kill(pid, 'SIGTERM');
  if (!(await waitForExit(pid, 10_000))) {
    process.kill(pid, 'SIGKILL');
    await waitForExit(pid, 5_000);
  }
}

export async function writePidFile(pidFile: string, pid: number | undefined): Promise<void> {
  if (pid !== undefined) await writeFile(pidFile, `${pid}\n`);
}

export async function removePidFile(pidFile: string): Promise<void> {
  await rm(pidFile, { force: true });
}
