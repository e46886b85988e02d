import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BROKER_OPTIONS, brokerPersistence, COMMON_OPTIONS } from '../../../cli/option-sets.js';
import { parseCommandLine } from '../../../cli/options.js';

describe('the broker store a data dir gets', () => {
  let dataDir: string;
  const warnings: string[] = [];
  const logger = pino(
    { level: 'warn' },
    { write: (line: string) => warnings.push(JSON.parse(line).msg as string) },
  );
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'fs-persistence-'));
    warnings.length = 0;
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  const persistenceFor = (argv: string[] = []) =>
    brokerPersistence(
      parseCommandLine([...COMMON_OPTIONS, ...BROKER_OPTIONS], ['--data-dir', dataDir, ...argv], {}).values,
      logger,
    );

  it('is the journal in a new data dir', () => {
    expect(persistenceFor()).toEqual({
      type: 'journal',
      dir: join(dataDir, 'broker', 'journal'),
      fsync: 'interval',
    });
    expect(warnings).toEqual([]);
  });

  it("keeps an earlier version's LevelDB store, with a warning, rather than leave its queues behind", async () => {
    await mkdir(join(dataDir, 'broker', 'store'), { recursive: true });
    expect(persistenceFor()).toEqual({ type: 'disk', dir: join(dataDir, 'broker', 'store') });
    expect(persistenceFor(['--persistence', 'journal'])).toEqual({
      type: 'disk',
      dir: join(dataDir, 'broker', 'store'),
    });
    expect(warnings[0]).toMatch(/keeps the LevelDB store/);
  });

  it('goes on with the journal once it exists beside an old store', async () => {
    await mkdir(join(dataDir, 'broker', 'store'), { recursive: true });
    await mkdir(join(dataDir, 'broker', 'journal'), { recursive: true });
    expect(persistenceFor()).toMatchObject({ type: 'journal' });
  });
});
