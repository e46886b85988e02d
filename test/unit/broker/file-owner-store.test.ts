import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileOwnerStore } from '../../../broker/sessions/file-owner-store.js';
import { OwnersFileSchema, ownersFilePath } from '../../../broker/sessions/owners-file.js';

let dir: string;
let file: string;
const stores: FileOwnerStore[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-owners-file-'));
  file = join(dir, 'store.session-owners.json');
});

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.stop()));
  await rm(dir, { recursive: true, force: true });
});

function store(): FileOwnerStore {
  const created = new FileOwnerStore(file, pino({ level: 'silent' }));
  stores.push(created);
  return created;
}

async function fileContent(): Promise<unknown> {
  return JSON.parse(await readFile(file, 'utf8'));
}

describe('ownersFilePath', () => {
  it('puts the owners beside the LevelDB directory, named after it', () => {
    expect(ownersFilePath('/var/lib/fs/broker/store')).toBe('/var/lib/fs/broker/store.session-owners.json');
    expect(ownersFilePath('/var/lib/fs/broker/store/')).toBe('/var/lib/fs/broker/store.session-owners.json');
  });
});

describe('FileOwnerStore', () => {
  it('starts empty without a file and writes none until an owner appears', async () => {
    const owners = store();
    await owners.start();
    expect(owners.size).toBe(0);
    await owners.stop();
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('writes every change before it resolves, as a versioned list, readable by the owner only', async () => {
    const owners = store();
    await owners.start();
    await owners.claim('fs-ingest', 'svc.ingest');
    await owners.claim('fs-other', 'svc.other');
    expect(await fileContent()).toEqual({
      version: 1,
      owners: [
        { clientId: 'fs-ingest', owner: 'svc.ingest' },
        { clientId: 'fs-other', owner: 'svc.other' },
      ],
    });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await owners.release('fs-ingest', 'svc.ingest');
    expect(await fileContent()).toMatchObject({ owners: [{ clientId: 'fs-other' }] });
  });

  it('replaces the file by rename, so a reader sees a whole file at every moment, and leaves no temp file', async () => {
    const owners = store();
    await owners.start();
    await owners.claim('first', 'svc.ingest');
    const inodeBefore = (await stat(file)).ino;
    let writing = true;
    const reads: unknown[] = [];
    const reader = (async () => {
      while (writing) reads.push(OwnersFileSchema.parse(JSON.parse(await readFile(file, 'utf8'))));
    })();
    const claims = Array.from({ length: 100 }, (_, n) => owners.claim(`id-${n}`, `account-${n % 3}`));
    await Promise.all(claims);
    writing = false;
    await reader;
    expect(reads.length).toBeGreaterThan(0);
    expect((await stat(file)).ino).not.toBe(inodeBefore);
    expect(OwnersFileSchema.parse(await fileContent()).owners).toHaveLength(101);
    expect(await readdir(dir)).toEqual(['store.session-owners.json']);
  });

  it('loads the owners at start', async () => {
    await writeFile(
      file,
      JSON.stringify({ version: 1, owners: [{ clientId: 'fs-ingest', owner: 'svc.ingest' }] }),
    );
    const owners = store();
    await owners.start();
    expect(await owners.ownerOf('fs-ingest')).toBe('svc.ingest');
    expect(await owners.claim('fs-ingest', 'sub.snoop')).toEqual({ owner: 'svc.ingest', created: false });
  });

  it.each([
    ['not JSON', '{"version": 1, "owners": ['],
    ['a wrong shape', JSON.stringify({ version: 1, owners: { 'fs-ingest': 'svc.ingest' } })],
    ['an owner without a name', JSON.stringify({ version: 1, owners: [{ clientId: 'x', owner: '' }] })],
  ])('refuses to start on a file with %s, naming the file, and leaves it as it is', async (_, text) => {
    await writeFile(file, text);
    const owners = store();
    const failure = owners.start();
    await expect(failure).rejects.toMatchObject({
      name: 'BrokerError',
      code: 'SESSION_OWNERS_FILE_INVALID',
      context: { file },
      message: expect.stringContaining(file),
    });
    await owners.stop();
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('rejects a claim it cannot write with STORE_UNAVAILABLE, and writes it with the next change', async () => {
    const nested = join(dir, 'broker');
    await mkdir(nested);
    file = join(nested, 'store.session-owners.json');
    const owners = store();
    await owners.start();
    // A file where the directory was: every write fails (ENOTDIR), even for root.
    await rm(nested, { recursive: true });
    await writeFile(nested, '');
    await expect(owners.claim('fs-ingest', 'svc.ingest')).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      context: { file },
    });
    await rm(nested);
    await mkdir(nested);
    await owners.claim('fs-other', 'svc.other');
    expect(OwnersFileSchema.parse(await fileContent()).owners).toHaveLength(2);
  });
});
