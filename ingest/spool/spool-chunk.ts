/** Lines beginning with this are the spool's own notes (sequence journal), never sent to InfluxDB. */
export const NOTE_PREFIX = '#';
const NOTE_BYTE = NOTE_PREFIX.charCodeAt(0);
const NEWLINE = 0x0a;

export interface ChunkLines {
  /** The points' line protocol, each line ending in a newline, notes and empty lines left out. */
  body: Buffer;
  /** Points in `body`. */
  points: number;
  notes: string[];
  /** Bytes of the whole lines taken, newlines included: what confirming them releases. */
  bytes: number;
}

/**
 * Takes whole lines from a chunk read from a segment, at most `maxLines` points, leaving a line that
 * the chunk cut short (and everything after the limit) for the next read. The points stay bytes, in
 * one body for InfluxDB: decoding each line into a string and joining them again cost the drain more
 * than its reads and writes. Notes are taken out by moving the points after them forward within
 * `chunk` itself, which is therefore the caller's to give up. Pure but for that.
 */
export function takeLines(chunk: Buffer, maxLines: number): ChunkLines {
  const notes: string[] = [];
  let bodyLength = 0;
  let points = 0;
  // Points from `runStart` up to the line in hand are still to be moved to `bodyLength`.
  let runStart = 0;
  let start = 0;
  while (start < chunk.length && points < maxLines) {
    const end = chunk.indexOf(NEWLINE, start);
    if (end < 0) break;
    if (end > start && chunk[start] !== NOTE_BYTE) {
      points++;
    } else {
      if (end > start) notes.push(chunk.toString('utf8', start, end));
      // Moving forward only overwrites lines already taken; copy() allows the overlap.
      bodyLength += chunk.copy(chunk, bodyLength, runStart, start);
      runStart = end + 1;
    }
    start = end + 1;
  }
  bodyLength += chunk.copy(chunk, bodyLength, runStart, start);
  return { body: chunk.subarray(0, bodyLength), points, notes, bytes: start };
}
