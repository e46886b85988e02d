import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { BROKER_PROCESS_ENV, missingBrokerProcessEnv } from '../../../broker/index.js';

describe('BROKER_PROCESS_ENV', () => {
  it("puts glibc's mmap threshold below scrypt's 16 MiB buffer (128 × N × r)", () => {
    expect(Number(BROKER_PROCESS_ENV.MALLOC_MMAP_THRESHOLD_)).toBeLessThan(128 * 2 ** 14 * 8);
  });

  it('names what an environment lacks or sets otherwise', () => {
    expect(missingBrokerProcessEnv({})).toEqual(['MALLOC_MMAP_THRESHOLD_=4194304']);
    expect(missingBrokerProcessEnv({ MALLOC_MMAP_THRESHOLD_: '131072' })).toEqual([
      'MALLOC_MMAP_THRESHOLD_=4194304',
    ]);
    expect(missingBrokerProcessEnv({ ...BROKER_PROCESS_ENV })).toEqual([]);
  });

  it('is what npm start and npm run demo give fieldstation up', async () => {
    const manifest = JSON.parse(
      await readFile(new URL('../../../package.json', import.meta.url), 'utf8'),
    ) as {
      scripts: Record<string, string>;
    };
    const assignments = Object.entries(BROKER_PROCESS_ENV).map(([name, value]) => `${name}=${value}`);
    for (const script of ['start', 'demo']) {
      const command = manifest.scripts[script] ?? '';
      expect(command).toContain(' up');
      for (const assignment of assignments) expect(command.startsWith(`${assignment} `)).toBe(true);
    }
  });
});
