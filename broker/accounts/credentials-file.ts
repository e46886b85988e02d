import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { replaceFile } from '../../durable-files/index.js';
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
  await replaceFile(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, directoryMode: 0o700 });
}
