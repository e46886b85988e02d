import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { replaceFile } from '../../durable-files/index.js';
import { ApiError } from '../errors.js';
import { type KeysFile, KeysFileSchema } from './api-key.js';

const EMPTY: KeysFile = { version: 1, keys: [] };

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

function invalid(file: string, detail: string, cause?: unknown): ApiError {
  return new ApiError('API_KEYS_FILE_INVALID', `API keys file ${file}: ${detail}`, 503, {}, { cause });
}

/** Reads and validates the keys file; a file that does not exist holds no keys. */
export async function readKeysFile(file: string): Promise<KeysFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isMissing(error)) return structuredClone(EMPTY);
    throw invalid(file, 'cannot be read', error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid(file, 'not valid JSON', error);
  }
  const parsed = KeysFileSchema.safeParse(json);
  if (!parsed.success) throw invalid(file, z.prettifyError(parsed.error));
  return parsed.data;
}

/**
 * What identifies one version of the file: writers replace it by rename, so a new version has a
 * new inode even within the same millisecond.
 */
export async function keysFileVersion(file: string): Promise<string> {
  try {
    const info = await stat(file);
    return `${info.ino}:${info.size}:${info.mtimeMs}`;
  } catch (error) {
    if (isMissing(error)) return 'missing';
    throw invalid(file, 'cannot be read', error);
  }
}

/** Replaces the file atomically (temp file, fsync, rename), readable by its owner only. */
export async function writeKeysFile(file: string, content: KeysFile): Promise<void> {
  await replaceFile(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, directoryMode: 0o700 });
}
