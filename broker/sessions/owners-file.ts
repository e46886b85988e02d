import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { replaceFile } from '../../durable-files/index.js';
import { BrokerError } from '../errors.js';

// Pairs rather than an object keyed by client id: a client id may be any string, "__proto__" too.
export const OwnersFileSchema = z
  .object({
    version: z.literal(1),
    owners: z.array(z.object({ clientId: z.string(), owner: z.string().min(1) }).strict()),
  })
  .strict();

export type OwnersFile = z.infer<typeof OwnersFileSchema>;

/**
 * Where a disk store's session owners are kept: beside the LevelDB directory, which LevelDB locks
 * for itself, named after it (`<dir>.session-owners.json`) so two stores in one parent never share it.
 */
export function ownersFilePath(storeDir: string): string {
  const dir = resolve(storeDir);
  return join(dirname(dir), `${basename(dir)}.session-owners.json`);
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function invalid(file: string, reason: string, cause?: unknown): BrokerError {
  const message = `session owners file ${file}: ${reason}; fix or remove it (removing lets the first account to connect take each kept session)`;
  return new BrokerError('SESSION_OWNERS_FILE_INVALID', message, { file }, { cause });
}

/** The owners in the file; a file that does not exist yet holds none. */
export async function readOwnersFile(file: string): Promise<[string, string][]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isMissing(error)) return [];
    throw new BrokerError(
      'STORE_UNAVAILABLE',
      `cannot read ${file}: ${reasonOf(error)}`,
      { file },
      { cause: error },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid(file, 'not valid JSON', error);
  }
  const parsed = OwnersFileSchema.safeParse(json);
  if (!parsed.success) throw invalid(file, z.prettifyError(parsed.error));
  return parsed.data.owners.map(({ clientId, owner }) => [clientId, owner]);
}

/**
 * Replaces the file atomically and durably: the new content is synced before it takes the old
 * one's name, and the directory after, so a crash or power cut leaves the old file or the new one.
 */
export async function writeOwnersFile(file: string, owners: readonly [string, string][]): Promise<void> {
  const content: OwnersFile = {
    version: 1,
    owners: owners.map(([clientId, owner]) => ({ clientId, owner })),
  };
  try {
    await replaceFile(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  } catch (error) {
    const message = `cannot write ${file}: ${reasonOf(error)}`;
    throw new BrokerError('STORE_UNAVAILABLE', message, { file }, { cause: error });
  }
}
