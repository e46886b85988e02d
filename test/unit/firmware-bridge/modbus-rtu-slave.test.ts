import { describe, expect, it } from 'vitest';
import {
  checkRegisterMap,
  type EmulatedUnit,
  registerWords,
} from '../../../emulators/modbus-rtu/register-map.js';
import { RequestReader } from '../../../emulators/modbus-rtu/request-reader.js';
import { answerRequest, GARBAGE, type SlaveRequest } from '../../../emulators/modbus-rtu/slave-answer.js';
import { crcMatches } from '../../../firmware-bridge/drivers/modbus-rtu/crc16.js';
import { encodeReadRequest, readReply } from '../../../firmware-bridge/drivers/modbus-rtu/rtu-frames.js';

const UNIT: EmulatedUnit = {
  unitId: 3,
  registers: [
    { function: 3, address: 10, dataType: 'int16', channel: 'temp' },
    { function: 3, address: 11, dataType: 'float32', wordOrder: 'little', channel: 'flow' },
    { function: 4, address: 10, dataType: 'uint16', channel: 'level' },
  ],
};
const VALUES: Record<string, number> = { temp: -12, flow: 1.5, level: 700 };
const values = (channel: string) => VALUES[channel] ?? Number.NaN;

const request = (fn: number, address: number, count: number): SlaveRequest => ({
  unitId: 3,
  functionCode: fn,
  address,
  count,
});

function answer(req: SlaveRequest, fault?: Parameters<typeof answerRequest>[4]) {
  const reply = answerRequest(UNIT, req, 0, values, fault);
  if (reply === undefined) return undefined;
  return readReply(reply, {
    unitId: 3,
    function: req.functionCode === 4 ? 4 : 3,
    address: req.address,
    count: req.count,
  });
}

describe('emulated Modbus slave', () => {
  it('lays out each value in its registers, per function', () => {
    expect([...registerWords(UNIT, 3, 0, values)]).toEqual([
      [10, 0xfff4],
      [11, 0x0000],
      [12, 0x3fc0],
    ]);
    expect([...registerWords(UNIT, 4, 0, values)]).toEqual([[10, 700]]);
  });

  it('answers reads of mapped registers, exception 2 for any unmapped one', () => {
    expect(answer(request(3, 10, 3))).toEqual({ kind: 'registers', words: [0xfff4, 0, 0x3fc0] });
    expect(answer(request(4, 10, 1))).toEqual({ kind: 'registers', words: [700] });
    expect(answer(request(3, 10, 4))).toEqual({ kind: 'exception', exceptionCode: 2 });
    expect(answer(request(4, 11, 1))).toEqual({ kind: 'exception', exceptionCode: 2 });
  });

  it('answers exception 3 for a count over 125 and exception 1 for other functions', () => {
    expect(answer(request(3, 10, 126))).toEqual({ kind: 'exception', exceptionCode: 3 });
    const writeRequest = answerRequest(UNIT, request(6, 10, 1), 0, values, undefined);
    expect(writeRequest?.subarray(0, 3).toString('hex')).toBe('038601');
    expect(crcMatches(writeRequest ?? Buffer.alloc(0))).toBe(true);
  });

  it('misbehaves on demand', () => {
    expect(answerRequest(UNIT, request(3, 10, 1), 0, values, 'silent')).toBeUndefined();
    expect(answer(request(3, 10, 1), 'busy')).toEqual({ kind: 'exception', exceptionCode: 6 });
    expect(answer(request(3, 10, 1), 'bad-crc')).toEqual({ kind: 'crc' });
    expect(answerRequest(UNIT, request(3, 10, 1), 0, values, 'garbage')).toEqual(GARBAGE);
    expect(answer(request(3, 10, 1), 'garbage')?.kind).toBe('invalid');
  });

  it('refuses a register map with two values in one register', () => {
    expect(() =>
      checkRegisterMap({
        unitId: 1,
        registers: [
          { function: 3, address: 0, dataType: 'uint32', channel: 'a' },
          { function: 3, address: 1, dataType: 'int16', channel: 'b' },
        ],
      }),
    ).toThrow('unit 1: b and a share register 1');
    expect(() =>
      checkRegisterMap({
        unitId: 1,
        registers: [{ function: 4, address: 65_535, dataType: 'float32', channel: 'a' }],
      }),
    ).toThrow('runs past register 65535');
  });
});

describe('slave request reader', () => {
  const first = encodeReadRequest({ unitId: 1, function: 3, address: 0, count: 2 });
  const second = encodeReadRequest({ unitId: 2, function: 4, address: 9, count: 1 });

  it('cuts requests out of a byte stream however it is chunked', () => {
    const reader = new RequestReader();
    const stream = Buffer.concat([first, second]);
    const found = [...stream].flatMap((byte) => reader.push(Buffer.from([byte])));
    expect(found).toEqual([
      { unitId: 1, functionCode: 3, address: 0, count: 2 },
      { unitId: 2, functionCode: 4, address: 9, count: 1 },
    ]);
  });

  it('skips line noise and finds the next request', () => {
    const reader = new RequestReader();
    expect(reader.push(Buffer.concat([Buffer.from([0x00, 0xff, 0x13]), first.subarray(0, 5)]))).toEqual([]);
    expect(reader.push(Buffer.concat([first.subarray(5), second]))).toHaveLength(2);
  });
});
