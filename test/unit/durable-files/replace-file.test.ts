import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replaceFile } from '../../../durable-files/index.js';
import { tempDir } from '../../harness/temp-dir.js';

describe('replaceFile', () => {
  let dir: string;

  beforeEach(() => {
    dir = tempDir('fs-replace-file');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replaces the content whole and leaves no temporary file beside it', async () => {
    const file = join(dir, 'state.json');
    await writeFile(file, 'old');
    await replaceFile(file, 'new content');
    expect(await readFile(file, 'utf8')).toBe('new content');
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('makes missing directories, private ones when asked, and gives the file the mode asked for', async () => {
    const file = join(dir, 'api', 'keys.json');
    await replaceFile(file, '{}', { mode: 0o600, directoryMode: 0o700 });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'api'))).mode & 0o777).toBe(0o700);
  });

  it('keeps the old file and leaves no temporary file when the new one cannot take its name', async () => {
    const file = join(dir, 'taken');
    await mkdir(join(file, 'child'), { recursive: true });
    await expect(replaceFile(file, 'text')).rejects.toMatchObject({
      code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST/),
    });
    expect(await readdir(dir)).toEqual(['taken']);
    expect((await stat(file)).isDirectory()).toBe(true);
  });
});
