import { EventEmitter } from 'node:events';
import ModbusSerial from 'modbus-serial';

import { describe, expect, it } from 'vitest';
import { withCrc } from '../../../firmware-bridge/drivers/modbus-rtu/crc16.js';
import {
  decodeRequestFrame,
  encodeReadRequest,
  exceptionReply,
  type ReadRequest,
  readReply,
  registersReply,
} from '../../../firmware-bridge/drivers/modbus-rtu/rtu-frames.js';

// A CommonJS module whose typings declare an ES default export: `.default` is the client class in both worlds.
const ModbusRTU = ModbusSerial.default;

const REQUEST: ReadRequest = { unitId: 17, function: 3, address: 107, count: 3 };

/** A port object for modbus-serial's client that only records what it would send. */
class RecordingPort extends EventEmitter {
  readonly written: Buffer[] = [];
  readonly isOpen = true;
  open(callback: (error: Error | null) => void): void {
    callback(null);
  }
  write(data: Buffer): void {
    this.written.push(Buffer.from(data));
  }
}

describe('Modbus RTU request frames', () => {
  it('encodes the standard example: unit 17 reads 3 holding registers from 107', () => {
    expect(encodeReadRequest(REQUEST).toString('hex')).toBe('1103006b00037687');
  });

  it('sends the same bytes as modbus-serial for both read functions', async () => {
    const port = new RecordingPort();
    const client = new ModbusRTU(port);
    await new Promise<void>((resolve) => client.open(() => resolve()));
    client.writeFC3(5, 40_000, 2, () => undefined);
    client.writeFC4(247, 0, 125, () => undefined);
    expect(port.written.map((frame) => frame.toString('hex'))).toEqual([
      encodeReadRequest({ unitId: 5, function: 3, address: 40_000, count: 2 }).toString('hex'),
      encodeReadRequest({ unitId: 247, function: 4, address: 0, count: 125 }).toString('hex'),
    ]);
  });

  it('decodes a request on the slave side only with a valid CRC and the right length', () => {
    const frame = encodeReadRequest(REQUEST);
    expect(decodeRequestFrame(frame)).toEqual({ unitId: 17, functionCode: 3, address: 107, count: 3 });
    expect(decodeRequestFrame(frame.subarray(0, 7))).toBeUndefined();
    const corrupted = Buffer.from(frame);
    corrupted[3] = 0x6c;
    expect(decodeRequestFrame(corrupted)).toBeUndefined();
  });
});

describe('Modbus RTU replies', () => {
  const reply = registersReply(17, 3, [0x022b, 0x0000, 0x0064]);

  it('builds the standard example reply and reads it back', () => {
    expect(reply.subarray(0, -2).toString('hex')).toBe('110306022b00000064');
    expect(readReply(reply, REQUEST)).toEqual({ kind: 'registers', words: [0x022b, 0, 0x64] });
  });

  it('waits for the whole frame, however the bytes arrive', () => {
    for (let length = 0; length < reply.length; length += 1) {
      expect(readReply(reply.subarray(0, length), REQUEST).kind).toBe('incomplete');
    }
    expect(readReply(reply.subarray(0, 3), REQUEST)).toEqual({
      kind: 'incomplete',
      received: 3,
      expected: 11,
    });
  });

  it('reads an exception reply', () => {
    const exception = exceptionReply(17, 3, 2);
    expect(exception.toString('hex').slice(0, 6)).toBe('118302');
    expect(readReply(exception.subarray(0, 4), REQUEST).kind).toBe('incomplete');
    expect(readReply(exception, REQUEST)).toEqual({ kind: 'exception', exceptionCode: 2 });
  });

  it('tells a corrupted CRC from garbage', () => {
    const corrupted = Buffer.from(reply);
    corrupted[4] = 0xff;
    expect(readReply(corrupted, REQUEST)).toEqual({ kind: 'crc' });
    const badException = exceptionReply(17, 3, 6);
    badException[4] = (badException[4] ?? 0) ^ 1;
    expect(readReply(badException, REQUEST)).toEqual({ kind: 'crc' });
  });

  it('rejects as soon as the first bytes cannot be the reply', () => {
    expect(readReply(Buffer.from([0x12]), REQUEST)).toEqual({
      kind: 'invalid',
      reason: 'reply starts with unit 18, expected 17',
    });
    expect(readReply(Buffer.from([0x11, 0x04]), REQUEST)).toEqual({
      kind: 'invalid',
      reason: 'reply has function code 0x04, expected 0x03',
    });
    expect(readReply(withCrc(Buffer.from([0x11, 0x03, 0x04, 0, 1, 0, 2])), REQUEST)).toEqual({
      kind: 'invalid',
      reason: 'reply announces 4 data bytes, expected 6',
    });
  });
});
