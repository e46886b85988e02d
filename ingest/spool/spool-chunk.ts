/** Lines beginning with this are the spool's own notes (sequence journal), never sent to InfluxDB. */
export const NOTE_PREFIX = '#';

export interface ChunkLines {
  /** Line protocol to write, notes left out. */
  points: string[];
  notes: string[];
  /** Bytes of the whole lines taken, newlines included: what confirming them releases. */
  bytes: number;
}

/**
 * Splits a chunk read from a segment into whole lines, at most `maxLines` points, leaving a line that
 * the chunk cut short (and everything after the limit) for the next read. Pure.
 */
export function takeLines(chunk: Buffer, maxLines: number): ChunkLines {
  const points: string[] = [];
  const notes: string[] = [];
  let start = 0;
  while (start < chunk.length && points.length < maxLines) {
    const end = chunk.indexOf(0x0a, start);
    if (end < 0) break;
    const line = chunk.toString('utf8', start, end);
    if (line.startsWith(NOTE_PREFIX)) notes.push(line);
    else if (line.length > 0) points.push(line);
    start = end + 1;
  }
  return { points, notes, bytes: start };
}
