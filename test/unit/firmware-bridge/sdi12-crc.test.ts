import { describe, expect, it } from 'vitest';
import { crc16Arc, encodeCrc, stripCrc, withCrc } from '../../../firmware-bridge/drivers/sdi12/crc.js';

describe('SDI-12 CRC', () => {
  it('is CRC-16/ARC (check value of "123456789" is 0xBB3D)', () => {
    expect(crc16Arc('123456789')).toBe(0xbb3d);
    expect(crc16Arc('')).toBe(0);
  });

  it('matches the example of the SDI-12 standard: "0+3.14" carries "OqZ"', () => {
    expect(crc16Arc('0+3.14')).toBe(0xfc5a);
    expect(encodeCrc(0xfc5a)).toBe('OqZ');
    expect(withCrc('0+3.14')).toBe('0+3.14OqZ');
  });

  it('encodes 16 bits as three characters between 0x40 and 0x7F', () => {
    expect(encodeCrc(0)).toBe('@@@');
    expect(encodeCrc(0xffff)).toBe('O\x7f\x7f');
  });

  it('strips a matching CRC and refuses a wrong or missing one', () => {
    expect(stripCrc('0+3.14OqZ')).toBe('0+3.14');
    expect(stripCrc('0+3.14OqY')).toBeUndefined();
    expect(stripCrc('0+3.15OqZ')).toBeUndefined();
    expect(stripCrc('0Oq')).toBeUndefined();
  });
});
