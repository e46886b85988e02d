import { stat } from 'node:fs/promises';
import { stringify } from 'yaml';
import { replaceFile } from '../../durable-files/index.js';
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
  try {
    await replaceFile(file, text, { mode: await modeOf(file) });
  } catch (error) {
    throw new Error(`${file}: cannot write the subscribers file: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
