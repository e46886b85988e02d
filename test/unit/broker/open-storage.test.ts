import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStorage } from '../../../broker/persistence/open-storage.js';
import { freePort } from '../../../influx/index.js';

const logger = pino({ level: 'silent' });
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-storage-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openStorage', () => {
  it('memory: a persistence and Aedes’ own emitter', async () => {
    const storage = await openStorage({ type: 'memory' }, logger);
    expect(storage.persistence).toBeTypeOf('object');
    expect(storage.emitter).toBeUndefined();
    await storage.close();
  });

  it('disk: holds the LevelDB lock until closed, so a second broker on the same dir is refused', async () => {
    const config = { type: 'disk', dir: join(dir, 'store') } as const;
    const first = await openStorage(config, logger);
    expect(first.emitter).toBeUndefined();
    await expect(openStorage(config, logger)).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      context: { file: config.dir },
      message: expect.stringContaining(config.dir),
    });
    await first.close();
    const again = await openStorage(config, logger);
    await again.close();
  });

  it('redis: an unreachable server fails at once with REDIS_UNREACHABLE and the masked URL', async () => {
    const url = `redis://:hunter2@127.0.0.1:${await freePort()}`;
    const failure = openStorage({ type: 'redis', url }, logger);
    await expect(failure).rejects.toMatchObject({
      code: 'REDIS_UNREACHABLE',
      context: { url: expect.stringContaining(':***@127.0.0.1:') },
      message: expect.stringMatching(
        /^Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/? is unreachable: .*ECONNREFUSED/,
      ),
    });
  });
});
