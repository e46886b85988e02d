import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const SEGMENT_NAME = /^(\d{12})\.spool$/;

/** Segment files are numbered in the order they were opened; the name sorts as the number does. */
export function segmentPath(dir: string, id: number): string {
  return join(dir, `${String(id).padStart(12, '0')}.spool`);
}

/** Ids of the segment files in `dir`, oldest first; other files are left alone. */
export async function listSegments(dir: string): Promise<number[]> {
  const names = await readdir(dir);
  return names
    .map((name) => SEGMENT_NAME.exec(name)?.[1])
    .filter((id): id is string => id !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}
