import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { replaceFile } from '../../durable-files/index.js';
import { GatewayError } from '../errors.js';

const Count = z.number().int().nonnegative();

/**
 * What a simulated gateway's backfill wrote, kept next to its outbox: its presence is what skips
 * the backfill at the next start, and its shift keeps the live simulation on the same weather.
 */
export const BackfillMarkerSchema = z.strictObject({
  v: z.literal(1),
  station: z.string(),
  gateway: z.string(),
  fromMs: z.number().int(),
  toMs: z.number().int(),
  shiftDays: z.number().int(),
  readings: Count,
  messages: Count,
  /** Outbox seq of the first and last backfill message (-1, -1 when there were none). */
  firstSeq: z.number().int().min(-1),
  lastSeq: z.number().int().min(-1),
  /** Bytes the backfill took in the outbox: its quota is raised by as much. */
  bytes: Count,
  shown: z.array(z.string()),
});

export type BackfillMarker = z.output<typeof BackfillMarkerSchema>;

const MARKER_FILE = 'backfill.json';

export async function readBackfillMarker(dir: string): Promise<BackfillMarker | undefined> {
  const path = join(dir, MARKER_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new GatewayError('BACKFILL_MARKER_INVALID', `${path}: not JSON`, { file: path }, { cause: error });
  }
  const parsed = BackfillMarkerSchema.safeParse(json);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new GatewayError('BACKFILL_MARKER_INVALID', `${path}: ${reason}`, { file: path });
  }
  return parsed.data;
}

/** Written (atomically) once the backfill is in the outbox, whose own guarantee then takes over. */
export async function writeBackfillMarker(dir: string, marker: BackfillMarker): Promise<void> {
  await replaceFile(join(dir, MARKER_FILE), `${JSON.stringify(BackfillMarkerSchema.parse(marker))}\n`);
}
