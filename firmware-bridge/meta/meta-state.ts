import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { replaceFile } from '../../durable-files/index.js';
import type { MetaPublished } from './build-meta.js';

/** Beside the outbox's own state: the hash and time of the meta message the broker last acknowledged. */
export const META_STATE_FILE = 'meta-state.json';

const MetaStateSchema = z.strictObject({
  v: z.literal(1),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  time: z.number().int().nonnegative(),
});

/**
 * The last acknowledged meta, or undefined when there is none or the file cannot be trusted: then the
 * gateway publishes again, which costs one retained message and a duplicate history point at most.
 */
export async function readMetaState(dir: string): Promise<MetaPublished | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, META_STATE_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = MetaStateSchema.safeParse(JSON.parse(text));
    return parsed.success ? { hash: parsed.data.hash, time: parsed.data.time } : undefined;
  } catch {
    return undefined;
  }
}

/** Replaces the file atomically, like the outbox's state: a power cut leaves the old or the new one. */
export async function writeMetaState(dir: string, published: MetaPublished): Promise<void> {
  await replaceFile(join(dir, META_STATE_FILE), `${JSON.stringify({ v: 1, ...published })}\n`);
}
