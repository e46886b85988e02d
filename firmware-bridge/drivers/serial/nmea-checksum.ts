/**
 * The NMEA 0183 checksum: XOR of every byte between the leading `$` or `!` (excluded when present)
 * and the `*` that ends the data, written after the `*` as two hex digits.
 */
export function nmeaChecksum(body: string): number {
  let sum = 0;
  for (const byte of Buffer.from(body, 'utf8')) sum ^= byte;
  return sum;
}

/** Two upper-case hex digits, as a talker writes them after the `*`. */
export function formatChecksum(body: string): string {
  return nmeaChecksum(body).toString(16).toUpperCase().padStart(2, '0');
}

export type ChecksumResult =
  | { ok: true /** The data between the start character and the `*`. */; body: string }
  | {
      ok: false;
      reason: string /** The line without start character and checksum, to attribute the fault. */;
      body: string;
    };

const START = /^[$!]/;
const TRAILER = /\*([0-9A-Fa-f]{2})$/;

/**
 * Checks and strips the `*hh` that ends `line` (already trimmed). Without a trailer the line fails when
 * `required`, and is returned whole (less its start character) otherwise. Pure.
 */
export function checkNmeaChecksum(line: string, required: boolean): ChecksumResult {
  const unstarted = line.replace(START, '');
  const trailer = TRAILER.exec(unstarted);
  if (trailer === null) {
    const star = unstarted.lastIndexOf('*');
    if (star >= 0) {
      const reason = `malformed checksum "${unstarted.slice(star, star + 8)}": expected * and two hex digits at the end`;
      return { ok: false, reason, body: unstarted.slice(0, star) };
    }
    if (!required) return { ok: true, body: unstarted };
    return { ok: false, reason: 'missing checksum: expected the line to end in *hh', body: unstarted };
  }
  const body = unstarted.slice(0, trailer.index);
  const expected = nmeaChecksum(body);
  const found = Number.parseInt(trailer[1] as string, 16);
  if (found !== expected) {
    const hex = formatChecksum(body);
    return { ok: false, reason: `checksum mismatch: line says ${trailer[1]}, its bytes give ${hex}`, body };
  }
  return { ok: true, body };
}
