import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { replaceFile } from '../../durable-files/index.js';
import { GatewayError } from '../errors.js';

const Count = z.number().int().nonnegative();

/** What must survive a restart besides the segments themselves. */
export const OutboxStateSchema = z.strictObject({
  v: z.literal(1),
  /** Every seq up to and including this one is done: acknowledged by the broker or dropped. -1: none yet. */
  ackedThrough: z.number().int().min(-1),
  droppedMessages: Count,
  droppedReadings: Count,
});

export type OutboxState = z.output<typeof OutboxStateSchema>;

export const INITIAL_STATE: OutboxState = { v: 1, ackedThrough: -1, droppedMessages: 0, droppedReadings: 0 };

const STATE_FILE = 'state.json';

export async function readOutboxState(dir: string): Promise<OutboxState> {
  const path = join(dir, STATE_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ...INITIAL_STATE };
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new GatewayError('OUTBOX_STATE_INVALID', `${path}: not JSON`, { file: path }, { cause: error });
  }
  const parsed = OutboxStateSchema.safeParse(json);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new GatewayError('OUTBOX_STATE_INVALID', `${path}: ${reason}`, { file: path });
  }
  return parsed.data;
}

/** Fsyncs a directory so a file created or renamed in it survives a power cut. */

/** Replaces the state file atomically: write a temporary file, fsync it, rename it over the old one. */
export async function writeOutboxState(dir: string, state: OutboxState): Promise<void> {
  await replaceFile(join(dir, STATE_FILE), `${JSON.stringify(state)}\n`);
}
