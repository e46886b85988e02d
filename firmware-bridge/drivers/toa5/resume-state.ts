import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { replaceFile } from '../../../durable-files/index.js';
import { GatewayError } from '../../errors.js';
import type { TablePosition } from './record-order.js';

/** What a TOA5 file source remembers across gateway restarts: the last row it delivered. */
const ResumeStateSchema = z.strictObject({
  v: z.literal(1),
  /** The file this position is in: a config pointing elsewhere starts afresh. */
  path: z.string(),
  record: z.number().int().nonnegative(),
  timeMs: z.number().int(),
});

export async function readResumeState(
  stateFile: string,
  dataPath: string,
): Promise<TablePosition | undefined> {
  let text: string;
  try {
    text = await readFile(stateFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GatewayError(
      'TOA5_STATE_INVALID',
      `${stateFile}: cannot read: ${(error as Error).message}`,
      { file: stateFile },
      { cause: error },
    );
  }
  let parsed: z.ZodSafeParseResult<z.output<typeof ResumeStateSchema>>;
  try {
    parsed = ResumeStateSchema.safeParse(JSON.parse(text));
  } catch (error) {
    throw new GatewayError(
      'TOA5_STATE_INVALID',
      `${stateFile}: not JSON`,
      { file: stateFile },
      { cause: error },
    );
  }
  if (!parsed.success) {
    throw new GatewayError(
      'TOA5_STATE_INVALID',
      `${stateFile}: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`,
      { file: stateFile },
    );
  }
  if (parsed.data.path !== dataPath) return undefined;
  return { record: parsed.data.record, timeMs: parsed.data.timeMs };
}

/** Replaces the state atomically (temporary file, fsync, rename), so a power cut leaves old or new. */
export async function writeResumeState(
  stateFile: string,
  dataPath: string,
  position: TablePosition,
): Promise<void> {
  await replaceFile(stateFile, `${JSON.stringify({ v: 1, path: dataPath, ...position })}\n`);
}
