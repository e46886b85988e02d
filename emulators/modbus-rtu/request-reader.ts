import { decodeRequestFrame, READ_REQUEST_BYTES } from '../../firmware-bridge/drivers/modbus-rtu/contract.js';
import type { SlaveRequest } from './slave-answer.js';

const MAX_PENDING_BYTES = 256;

/**
 * Cuts the master's byte stream into request frames. Every request this slave answers is 8 bytes
 * long; bytes that do not start a frame with a valid CRC are skipped one by one, so the reader
 * finds its feet again after line noise.
 */
export class RequestReader {
  private pending = Buffer.alloc(0);

  push(chunk: Buffer): SlaveRequest[] {
    this.pending = Buffer.concat([this.pending, chunk]).subarray(-MAX_PENDING_BYTES);
    const requests: SlaveRequest[] = [];
    while (this.pending.length >= READ_REQUEST_BYTES) {
      const request = decodeRequestFrame(this.pending.subarray(0, READ_REQUEST_BYTES));
      if (request === undefined) {
        this.pending = this.pending.subarray(1);
        continue;
      }
      requests.push(request);
      this.pending = this.pending.subarray(READ_REQUEST_BYTES);
    }
    return requests;
  }
}
