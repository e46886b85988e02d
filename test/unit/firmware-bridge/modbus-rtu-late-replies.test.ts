import { describe, expect, it } from 'vitest';
import { LateReplies } from '../../../firmware-bridge/drivers/modbus-rtu/late-replies.js';
import {
  exceptionReply,
  type ReadRequest,
  registersReply,
} from '../../../firmware-bridge/drivers/modbus-rtu/rtu-frames.js';

const HOLDING: ReadRequest = { unitId: 1, function: 3, address: 0, count: 6 };
const INPUT: ReadRequest = { unitId: 1, function: 4, address: 0, count: 4 };

describe('LateReplies', () => {
  it('recognises a whole reply to a request that timed out, and what follows it', () => {
    const late = new LateReplies();
    late.remember(HOLDING);
    const stale = registersReply(1, 3, [1, 2, 3, 4, 5, 6]);
    const current = registersReply(1, 4, [7, 8, 9, 10]);
    expect(late.match(Buffer.concat([stale, current]))).toEqual({ kind: 'late', length: stale.length });
    expect(late.match(exceptionReply(1, 3, 6))).toEqual({ kind: 'late', length: 5 });
    expect(late.match(current)).toEqual({ kind: 'none' });
  });

  it('waits while the bytes may still become a late reply, and refuses one that fails its CRC', () => {
    const late = new LateReplies();
    late.remember(HOLDING);
    const stale = registersReply(1, 3, [1, 2, 3, 4, 5, 6]);
    expect(late.match(stale.subarray(0, 4))).toEqual({ kind: 'incomplete' });
    const corrupted = Buffer.from(stale);
    corrupted.writeUInt8((corrupted.at(-1) ?? 0) ^ 0xff, corrupted.length - 1);
    expect(late.match(corrupted)).toEqual({ kind: 'none' });
  });

  it('knows only requests that timed out, the last few of them', () => {
    const late = new LateReplies();
    expect(late.match(registersReply(1, 3, [1, 2, 3, 4, 5, 6]))).toEqual({ kind: 'none' });
    late.remember(INPUT);
    for (let unitId = 2; unitId <= 5; unitId += 1) late.remember({ ...HOLDING, unitId });
    expect(late.match(registersReply(1, 4, [7, 8, 9, 10]))).toEqual({ kind: 'none' });
    expect(late.match(registersReply(5, 3, [1, 2, 3, 4, 5, 6]))).toMatchObject({ kind: 'late' });
  });
});
