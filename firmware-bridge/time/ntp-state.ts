import { execFile } from 'node:child_process';
import type { NtpState } from './clock-state.js';

export type CommandRunner = (command: string, args: readonly string[]) => Promise<string>;

const runCommand: CommandRunner = (command, args) =>
  new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 5000, encoding: 'utf8' }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });

/**
 * Asks systemd whether the kernel clock is NTP-synchronised (systemd-timesyncd, chrony and ntpd all
 * set the flag timedatectl reads). Without timedatectl the answer is unknown, never a guess.
 */
export async function readNtpState(run: CommandRunner = runCommand): Promise<NtpState> {
  try {
    const answer = (await run('timedatectl', ['show', '--property=NTPSynchronized', '--value'])).trim();
    if (answer === 'yes') return 'synced';
    return answer === 'no' ? 'unsynced' : 'unknown';
  } catch {
    return 'unknown';
  }
}
