import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type Subscribers, SubscribersWatch } from '../../../notify/index.js';
import { tempDir } from '../../harness/temp-dir.js';

const dir = tempDir('fs-notify-watch');
afterEach(() => rm(dir, { recursive: true, force: true }));

const valid = (chain: string) =>
  JSON.stringify({
    contacts: [
      {
        name: chain,
        webhook: { url: 'https://h.example.org', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
      },
    ],
    routes: [{ name: 'r', chain: [chain] }],
  });

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('SubscribersWatch', () => {
  it('takes a valid new file into force and keeps the previous one when the new one is invalid', async () => {
    const file = join(dir, 'subscribers.yaml');
    await writeFile(file, valid('ana'));
    const seen: Subscribers[] = [];
    const logs: string[] = [];
    const watch = new SubscribersWatch({
      file,
      logger: pino({ level: 'info' }, { write: (line: string) => logs.push(line) }),
      onChange: (subscribers) => seen.push(subscribers),
      debounceMs: 10,
    });
    watch.start();
    try {
      await writeFile(file, 'routes: [');
      await until(() => watch.rejected >= 1);
      expect(seen).toEqual([]);
      expect(logs.join('')).toContain('the previous one stays in force');
      expect(logs.join('')).toContain(file);
      await writeFile(file, valid('ben'));
      await until(() => seen.length === 1);
      expect(seen[0]?.contacts[0]?.name).toBe('ben');
    } finally {
      watch.stop();
    }
  });
});
