/**
 * SDI-12 CRC (standard v1.4, 4.4.12): CRC-16/ARC (reflected polynomial 0xA001, initial value 0)
 * over every character of the reply from the address up to the CRC, sent as three printable
 * characters, each 0x40 ORed with 6 bits of the CRC, most significant first.
 */
export function crc16Arc(text: string): number {
  let crc = 0;
  for (const byte of Buffer.from(text, 'latin1')) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

export function encodeCrc(crc: number): string {
  return String.fromCharCode(0x40 | (crc >>> 12), 0x40 | ((crc >>> 6) & 0x3f), 0x40 | (crc & 0x3f));
}

/** The reply with its CRC appended, as a sensor sends it. */
export function withCrc(reply: string): string {
  return reply + encodeCrc(crc16Arc(reply));
}

/** Splits a CRC-carrying reply into its body; undefined when the CRC does not match. */
export function stripCrc(reply: string): string | undefined {
  if (reply.length < 4) return undefined;
  const body = reply.slice(0, -3);
  return encodeCrc(crc16Arc(body)) === reply.slice(-3) ? body : undefined;
}
