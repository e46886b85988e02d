import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BrokerError } from '../../errors.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims `dir` for this process with a file naming its pid, so two brokers never append to one
 * journal. A lock whose process is gone (a broker killed with -9) is taken over. Returns the
 * release. Within one process the same directory cannot be opened twice either.
 */
export async function lockJournalDir(dir: string): Promise<() => Promise<void>> {
  const file = join(dir, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && isAlive(holder)) {
      throw new BrokerError(
        'STORE_UNAVAILABLE',
        `cannot open the broker journal at ${dir}: process ${holder} holds it (is another broker using it?)`,
        { file: dir },
      );
    }
    await rm(file, { force: true });
  }
  throw new BrokerError('STORE_UNAVAILABLE', `cannot lock the broker journal at ${dir}`, { file: dir });
}
