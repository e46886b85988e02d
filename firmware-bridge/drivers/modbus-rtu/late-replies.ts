import { type ReadRequest, readReply } from './rtu-frames.js';

/** Requests remembered: a bus retries one read, then moves on, so a few cover every reply still on its way. */
const REMEMBERED = 4;
const EXCEPTION_BYTES = 5;

export type LateReplyStatus =
  /** The bytes may still become a late reply: wait for more. */
  | { kind: 'incomplete' }
  /** The bytes start with a whole late reply of `length` bytes, to be dropped. */
  | { kind: 'late'; length: number }
  /** The bytes are no reply to a remembered request. */
  | { kind: 'none' };

const sameRequest = (a: ReadRequest, b: ReadRequest) =>
  a.unitId === b.unitId && a.function === b.function && a.address === b.address && a.count === b.count;

/**
 * Requests whose transaction timed out. RTU frames carry no transaction number, so a slave that
 * answers after the master gave up puts a reply on the bus while the master waits for the next one;
 * a master that took it for that reply would report a healthy unit as garbled. A whole, CRC-checked
 * reply to a remembered request is recognised as late and dropped instead.
 */
export class LateReplies {
  private readonly requests: ReadRequest[] = [];

  remember(request: ReadRequest): void {
    const index = this.requests.findIndex((known) => sameRequest(known, request));
    if (index >= 0) this.requests.splice(index, 1);
    this.requests.push(request);
    if (this.requests.length > REMEMBERED) this.requests.shift();
  }

  /** Whether `bytes` start with a late reply to a remembered request. */
  match(bytes: Uint8Array): LateReplyStatus {
    let waiting = false;
    for (const request of this.requests) {
      const status = readReply(bytes, request);
      if (status.kind === 'registers') return { kind: 'late', length: 5 + 2 * request.count };
      if (status.kind === 'exception') return { kind: 'late', length: EXCEPTION_BYTES };
      if (status.kind === 'incomplete') waiting = true;
    }
    return waiting ? { kind: 'incomplete' } : { kind: 'none' };
  }
}
