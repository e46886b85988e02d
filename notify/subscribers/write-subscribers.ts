import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { stringify } from 'yaml';
import type { Subscribers } from './subscribers-schema.js';

const HEADER =
  '# Who is told of alerts, how and when (docs/notifications.md). Written by the HTTP API\n' +
  '# (PUT /v1/alerts/subscriptions): comments of earlier versions are not kept.\n';

/** The YAML text of a validated subscribers document, as the API writes it. */
export function formatSubscribers(subscribers: Subscribers): string {
  return HEADER + stringify(subscribers, { lineWidth: 0 });
}

async function modeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).mode & 0o777;
  } catch {
    // A new file holds webhook secrets: readable by its owner only.
    return 0o600;
  }
}

/**
 * Replaces `file` with `text` atomically: a temporary file in the same directory (so the rename does
 * not cross file systems), flushed to disk, then renamed over the old one. A reader (the notifier's
 * watcher) sees the old version or the new one, never half of one, and a crash leaves one of the two.
 */
export async function writeSubscribersFile(file: string, text: string): Promise<void> {
  const dir = dirname(file);
  const temporary = join(dir, `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', await modeOf(file));
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new Error(`${file}: cannot write the subscribers file: ${(error as Error).message}`, {
      cause: error,
    });
  }
  await syncDirectory(dir);
}

/** Makes the rename itself durable; some platforms cannot open a directory, which only costs durability. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort only.
  }
}
