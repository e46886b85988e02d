import { open, readdir, readFile, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';

/** One append-only file of JSON lines, each line one `readings` message. */
export interface Segment {
  /** The seq of the first message the segment was created for; also its file name. */
  readonly firstSeq: number;
  readonly path: string;
  /** Bytes of complete, fsynced lines: readers never look past this. */
  bytes: number;
}

export interface StoredMessage {
  seq: number;
  /** The message exactly as published: JSON, no trailing newline. */
  payload: string;
  readings: number;
}

const NAME = /^seg-(\d{16})\.jsonl$/;

export function segmentPath(dir: string, firstSeq: number): string {
  return join(dir, `seg-${String(firstSeq).padStart(16, '0')}.jsonl`);
}

/** The segments in a directory, oldest first. */
export async function listSegments(dir: string): Promise<Segment[]> {
  const names = (await readdir(dir)).filter((name) => NAME.test(name)).sort();
  return Promise.all(
    names.map(async (name) => {
      const path = join(dir, name);
      return { firstSeq: Number(NAME.exec(name)?.[1]), path, bytes: (await stat(path)).size };
    }),
  );
}

/** Parses one stored line; undefined for a line that is not a stored message (torn or corrupt). */
export function parseStoredLine(line: string): StoredMessage | undefined {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const { seq, readings } = json as { seq?: unknown; readings?: unknown };
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || !Array.isArray(readings)) return undefined;
  return { seq, payload: line, readings: readings.length };
}

/** Complete lines of `text` and how many bytes they span (a trailing partial line is left out). */
export function completeLines(text: string): { lines: string[]; bytes: number } {
  const end = text.lastIndexOf('\n');
  if (end < 0) return { lines: [], bytes: 0 };
  const complete = text.slice(0, end);
  return { lines: complete.split('\n'), bytes: Buffer.byteLength(complete, 'utf8') + 1 };
}

export async function readSegmentRange(path: string, from: number, to: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(to - from);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

export async function readSegmentMessages(path: string): Promise<StoredMessage[]> {
  const { lines } = completeLines(await readFile(path, 'utf8'));
  return lines.flatMap((line) => parseStoredLine(line) ?? []);
}

export interface RepairResult {
  /** Seq of the last intact message, or undefined if none. */
  lastSeq: number | undefined;
  /** Bytes cut off the end: a line torn by a power cut, or garbage after the last intact line. */
  removedBytes: number;
}

/**
 * Cuts everything after the last intact line of the newest segment. A power cut during an append
 * leaves at most that one line incomplete, and it was never published: publishing waits for fsync.
 */
export async function repairTail(segment: Segment): Promise<RepairResult> {
  const { lines } = completeLines(await readFile(segment.path, 'utf8'));
  let keptBytes = 0;
  let lastSeq: number | undefined;
  let offset = 0;
  for (const line of lines) {
    offset += Buffer.byteLength(line, 'utf8') + 1;
    const message = parseStoredLine(line);
    if (message !== undefined) {
      keptBytes = offset;
      lastSeq = message.seq;
    }
  }
  const removedBytes = segment.bytes - keptBytes;
  if (removedBytes > 0) {
    await truncate(segment.path, keptBytes);
    segment.bytes = keptBytes;
  }
  return { lastSeq, removedBytes };
}
