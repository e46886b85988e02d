import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileKeyStore } from '../../../../api/keys/file-key-store.js';
import { tempDir } from '../../../harness/temp-dir.js';

const spec = (name: string) => ({ name, role: 'reader' as const, stations: null, expiresAt: null });

describe('FileKeyStore', () => {
  it('keeps only digests, in a file its owner alone may read', async () => {
    const file = join(tempDir('fs-keys'), 'api', 'keys.json');
    const issued = await new FileKeyStore(file).add(spec('alice'));
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(issued.key.slice(17));
    expect(JSON.parse(text).keys[0]).toMatchObject({ id: issued.id, digest: { algorithm: 'sha256' } });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it("sees another process's change at its next lookup", async () => {
    const file = join(tempDir('fs-keys'), 'keys.json');
    const server = new FileKeyStore(file);
    const cli = new FileKeyStore(file);
    const issued = await cli.add(spec('bob'));
    expect((await server.find(issued.id))?.revokedAt).toBeNull();
    await cli.revoke(issued.id);
    expect((await server.find(issued.id))?.revokedAt).toEqual(expect.any(String));
  });

  it('replaces the keys of a name, for the demo reader', async () => {
    const store = new FileKeyStore(join(tempDir('fs-keys'), 'keys.json'));
    const first = await store.replaceNamed(spec('demo-reader'));
    await store.add(spec('other'));
    const second = await store.replaceNamed(spec('demo-reader'));
    const names = (await store.list()).map((key) => [key.name, key.id]);
    expect(names).toEqual([
      ['other', expect.any(String)],
      ['demo-reader', second.id],
    ]);
    expect(await store.find(first.id)).toBeUndefined();
  });

  it('keeps concurrent additions of one process', async () => {
    const store = new FileKeyStore(join(tempDir('fs-keys'), 'keys.json'));
    await Promise.all(['a', 'b', 'c', 'd'].map((name) => store.add(spec(name))));
    expect((await store.list()).map((key) => key.name).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('fails closed, naming the file, when the file is invalid', async () => {
    const file = join(tempDir('fs-keys'), 'keys.json');
    await writeFile(file, '{"version":1,"keys":[{"id":"nope"}]}');
    await expect(new FileKeyStore(file).find('0123456789ab')).rejects.toMatchObject({
      code: 'API_KEYS_FILE_INVALID',
      statusCode: 503,
      message: expect.stringContaining(file),
    });
  });
});
