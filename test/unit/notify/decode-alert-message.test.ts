import { describe, expect, it } from 'vitest';
import { decodeAlertMessage } from '../../../notify/index.js';

const RULE = 'fs/v1/alerts/xuefeng/conductor-icing';
const T = 1764194400000;
const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));
const ack = { v: 1, station: 'xuefeng', rule: 'conductor-icing', since: T, by: 'li', time: T + 1 };

describe('decodeAlertMessage', () => {
  it('takes an ack, a silence and its lift, and ignores deliveries and emptied events', () => {
    expect(decodeAlertMessage(`${RULE}/ack`, bytes(ack))).toEqual({ kind: 'ack', ack });
    const silence = { v: 1, station: 'xuefeng', rule: 'conductor-icing', until: T + 9, by: 'li', time: T };
    expect(decodeAlertMessage(`${RULE}/silence`, bytes(silence))).toEqual({
      kind: 'silence',
      station: 'xuefeng',
      rule: 'conductor-icing',
      silence,
    });
    expect(decodeAlertMessage(`${RULE}/silence`, Buffer.alloc(0))).toMatchObject({ silence: undefined });
    expect(decodeAlertMessage(`${RULE}/delivery`, bytes({}))).toEqual({ kind: 'ignored' });
    expect(decodeAlertMessage(RULE, Buffer.alloc(0))).toEqual({ kind: 'ignored' });
  });

  it("refuses a payload naming another rule, and one nested past the contract's depth limit", () => {
    expect(decodeAlertMessage(`${RULE.replace('conductor-icing', 'frost')}/ack`, bytes(ack))).toEqual({
      kind: 'invalid',
      reason: 'station or rule differs from the topic',
    });
    const deep = Buffer.from(`{"v":1,"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
    expect(decodeAlertMessage(RULE, deep)).toMatchObject({
      kind: 'invalid',
      reason: expect.stringMatching(/^PAYLOAD_TOO_DEEP: /),
    });
  });
});
