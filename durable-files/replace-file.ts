import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface ReplaceFileOptions {
  /** Permission bits of the new file (before the umask); files holding secrets pass 0o600. */
  mode?: number;
  /** Permission bits of directories made on the way; 0o700 keeps a secret's folder private too. */
  directoryMode?: number;
}

/**
 * Replaces `file` with `text` so that a reader, a crash or a power cut finds the old content or the
 * new, never half of one: a temporary file beside it (a rename does not cross file systems), flushed
 * to disk, renamed over the old one, and the directory flushed so that the rename itself survives a
 * power cut. The temporary name is unique, so two writers never share one temporary file, and a
 * failed write leaves none behind.
 */
export async function replaceFile(
  file: string,
  text: string,
  options: ReplaceFileOptions = {},
): Promise<void> {
  const directory = dirname(file);
  await mkdir(directory, {
    recursive: true,
    ...(options.directoryMode === undefined ? {} : { mode: options.directoryMode }),
  });
  const temporary = join(directory, `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', options.mode ?? 0o666);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    // The write's own failure is the one to report; a temporary file that cannot be removed is litter.
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(directory);
}

/** Flushes a directory's entries (a new, renamed or removed file) to disk. */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
