import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { crc16, crcMatches, withCrc } from '../../../firmware-bridge/drivers/modbus-rtu/crc16.js';

// modbus-serial's CRC, as an independent reference (a dev dependency, untyped deep module).
const referenceCrc16 = createRequire(import.meta.url)('modbus-serial/utils/crc16') as (
  bytes: Buffer,
) => number;

describe('Modbus CRC-16', () => {
  it('matches the worked examples: read 10 holding registers of unit 1, read input register 0', () => {
    expect(withCrc(Buffer.from('01030000000a', 'hex')).toString('hex')).toBe('01030000000ac5cd');
    expect(withCrc(Buffer.from('010400000001', 'hex')).toString('hex')).toBe('01040000000131ca');
    // Modbus over Serial Line, appendix B: "02 07" has CRC 0x1241, sent low byte first.
    expect(crc16(Buffer.from([0x02, 0x07]))).toBe(0x1241);
    expect(crc16(Buffer.alloc(0))).toBe(0xffff);
  });

  it('agrees with modbus-serial on random frames', () => {
    for (let length = 1; length < 260; length += 7) {
      const bytes = randomBytes(length);
      expect(crc16(bytes)).toBe(referenceCrc16(bytes));
    }
  });

  it('checks a frame: any flipped bit or a frame too short to carry a CRC fails', () => {
    const frame = withCrc(Buffer.from('0203040001ffff', 'hex'));
    expect(crcMatches(frame)).toBe(true);
    for (let bit = 0; bit < frame.length * 8; bit += 1) {
      const corrupted = Buffer.from(frame);
      corrupted[bit >> 3] = (corrupted[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      expect(crcMatches(corrupted)).toBe(false);
    }
    expect(crcMatches(Buffer.from([0xff, 0xff]))).toBe(false);
  });
});
