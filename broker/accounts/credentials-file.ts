import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { BrokerError } from '../errors.js';
import { type CredentialsFile, CredentialsFileSchema } from './account-schema.js';

const EMPTY: CredentialsFile = { version: 1, accounts: [] };

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

/** Reads and validates the credentials file; a file that does not exist holds no accounts. */
export async function readCredentialsFile(file: string): Promise<CredentialsFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isMissing(error)) return structuredClone(EMPTY);
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BrokerError('CREDENTIALS_FILE_INVALID', `${file}: not valid JSON`, { file }, { cause: error });
  }
  const parsed = CredentialsFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new BrokerError('CREDENTIALS_FILE_INVALID', `${file}: ${z.prettifyError(parsed.error)}`, { file });
  }
  return parsed.data;
}

/**
 * Replaces the file atomically: a reader (the running broker) sees either the old or the new
 * content, never half of it. The secret hashes are readable by the owner only.
 */
export async function writeCredentialsFile(file: string, content: CredentialsFile): Promise<void> {
  const directory = dirname(file);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const temp = join(directory, `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(`${JSON.stringify(content, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
