type ScanState = 'type' | 'length' | 'body' | 'stopped';

const CONTINUATION_BIT = 0x80;
const MAX_LENGTH_BYTES = 4;

/**
 * Follows MQTT fixed headers through a byte stream ([MQTT-2.2.3]: one type byte, then the
 * remaining length in up to four 7-bit groups) and reports a packet over the limit as soon as its
 * header arrives, before the parser buffers a body the broker would refuse anyway.
 */
export class PacketSizeScanner {
  readonly #maxPacketBytes: number;
  #state: ScanState = 'type';
  #length = 0;
  #multiplier = 1;
  #lengthBytes = 0;
  #remaining = 0;

  constructor(maxPacketBytes: number) {
    this.#maxPacketBytes = maxPacketBytes;
  }

  /** Returns the size of the first packet over the limit; after that the scanner stops. */
  feed(chunk: Uint8Array): number | undefined {
    let offset = 0;
    while (offset < chunk.length && this.#state !== 'stopped') {
      if (this.#state === 'type') {
        offset += 1;
        this.#startLength();
      } else if (this.#state === 'length') {
        const oversized = this.#readLengthByte(chunk[offset] ?? 0);
        offset += 1;
        if (oversized !== undefined) return oversized;
      } else {
        const skipped = Math.min(this.#remaining, chunk.length - offset);
        offset += skipped;
        this.#remaining -= skipped;
        if (this.#remaining === 0) this.#state = 'type';
      }
    }
    return undefined;
  }

  #startLength(): void {
    this.#state = 'length';
    this.#length = 0;
    this.#multiplier = 1;
    this.#lengthBytes = 0;
  }

  #readLengthByte(byte: number): number | undefined {
    this.#length += (byte & ~CONTINUATION_BIT) * this.#multiplier;
    this.#multiplier *= 128;
    this.#lengthBytes += 1;
    if (byte & CONTINUATION_BIT) {
      // A fifth length byte is malformed; the MQTT parser reports that, not the size limit.
      if (this.#lengthBytes === MAX_LENGTH_BYTES) this.#state = 'stopped';
      return undefined;
    }
    const size = 1 + this.#lengthBytes + this.#length;
    if (size > this.#maxPacketBytes) {
      this.#state = 'stopped';
      return size;
    }
    this.#remaining = this.#length;
    this.#state = this.#remaining === 0 ? 'type' : 'body';
    return undefined;
  }
}

/** Upper bound of a PUBLISH packet's size on the wire (MQTT 3.1.1, no properties). */
export function publishPacketBytes(topic: string, payload: Uint8Array | string, qos: number): number {
  const fixedHeaderMax = 5;
  const packetId = qos > 0 ? 2 : 0;
  return fixedHeaderMax + 2 + Buffer.byteLength(topic) + packetId + Buffer.byteLength(payload);
}
