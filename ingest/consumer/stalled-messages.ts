import { createHash } from 'node:crypto';

interface Fingerprint {
  topic: string;
  bytes: number;
  sha256: string;
}

function sha256(payload: Uint8Array): string {
  return createHash('sha256').update(payload).digest('hex');
}

/**
 * Messages that stalled the consumer, remembered so that their redelivery is recognised and
 * quarantined instead of stalling it again. Hashing is paid only for messages whose topic and size
 * match a remembered one, so the common path costs one empty-list check. Bounded: the oldest is
 * forgotten first.
 */
export class StalledMessages {
  private readonly remembered: Fingerprint[] = [];

  constructor(private readonly capacity = 16) {}

  remember(topic: string, payload: Uint8Array): void {
    this.remembered.push({ topic, bytes: payload.byteLength, sha256: sha256(payload) });
    if (this.remembered.length > this.capacity) this.remembered.shift();
  }

  /** True (once) when this message stalled the consumer before; it is forgotten then. */
  take(topic: string, payload: Uint8Array): boolean {
    if (this.remembered.length === 0) return false;
    const candidates = this.remembered.filter((f) => f.topic === topic && f.bytes === payload.byteLength);
    if (candidates.length === 0) return false;
    const digest = sha256(payload);
    const index = this.remembered.findIndex((f) => candidates.includes(f) && f.sha256 === digest);
    if (index < 0) return false;
    this.remembered.splice(index, 1);
    return true;
  }
}
