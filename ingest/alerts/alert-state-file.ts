import { readFile } from 'node:fs/promises';
import { replaceFile } from '../../durable-files/index.js';
import { type AlertStateSnapshot, AlertStateSnapshotSchema } from './alert-state-snapshot.js';

export class AlertStateFileError extends Error {
  readonly code = 'ALERT_STATE_UNREADABLE';
  constructor(
    readonly file: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`${file}: ${reason}`, options);
    this.name = 'AlertStateFileError';
  }
}

/** Reads the snapshot; undefined when there is none yet, AlertStateFileError when it cannot be used. */
export async function readAlertState(file: string): Promise<AlertStateSnapshot | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AlertStateFileError(file, `cannot read: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AlertStateFileError(file, `not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = AlertStateSnapshotSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new AlertStateFileError(
      file,
      `${first?.path.join('.') ?? '(file)'}: ${first?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/**
 * Writes the snapshot atomically: a temp file, fsync, rename over the old one (and fsync of the
 * directory), so a crash leaves either the previous snapshot or the new one, never half of one.
 */
export async function writeAlertState(file: string, snapshot: AlertStateSnapshot): Promise<void> {
  await replaceFile(file, JSON.stringify(snapshot));
}
