import { describe, expect, it } from 'vitest';
import {
  analogMappingResponse,
  analogMessage,
  capabilityResponse,
  firmwareReport,
  i2cReply,
  parseI2cRequest,
  pinStateResponse,
  reportVersion,
  stringData,
  unoPins,
} from '../../../emulators/firmata/board-messages.js';
import {
  decodeTwo7BitBytes,
  encodeTwo7BitBytes,
  FirmataFrameReader,
  parseI2cReply,
} from '../../../firmware-bridge/drivers/firmata/firmata-frames.js';

describe('FirmataFrameReader', () => {
  it('cuts the board stream into messages, across chunk boundaries', () => {
    const reader = new FirmataFrameReader('board');
    const stream = Buffer.concat([reportVersion(2, 5), analogMessage(3, 1000), i2cReply(0x76, 0xd0, [0x60])]);
    const first = reader.push(stream.subarray(0, 5));
    const second = reader.push(stream.subarray(5));
    expect(first.junkBytes + second.junkBytes).toBe(0);
    const frames = [...first.frames, ...second.frames];
    expect(frames[0]).toEqual({ kind: 'system', command: 0xf9, data: [2, 5] });
    expect(frames[1]).toEqual({ kind: 'channel', command: 0xe0, channel: 3, data: [1000 & 0x7f, 1000 >> 7] });
    expect(frames[2] && parseI2cReply(frames[2])).toEqual({ address: 0x76, register: 0xd0, bytes: [0x60] });
  });

  it('reads the host REPORT_VERSION request as a bare command byte', () => {
    const { frames } = new FirmataFrameReader('host').push(Buffer.from([0xf9, 0xf0, 0x79, 0xf7]));
    expect(frames).toEqual([
      { kind: 'system', command: 0xf9, data: [] },
      { kind: 'sysex', command: 0x79, data: [] },
    ]);
  });

  it('counts noise, unknown commands and messages cut short as junk and resynchronises', () => {
    const reader = new FirmataFrameReader('board');
    const { frames, junkBytes } = reader.push(
      Buffer.from([0x13, 0x37, 0xfe, 0xe0, 0x05, 0xe1, 0x01, 0x02, 0xf7, 0xf0, 0x71, 0xf3]),
    );
    // 0x13 0x37 (stray data), 0xfe (unknown), 0xe0 0x05 (cut by 0xe1), 0xf7 (stray end),
    // 0xf0 0x71 (sysex cut by 0xf3), 0xf3 (unknown)
    expect(junkBytes).toBe(9);
    expect(frames).toEqual([{ kind: 'channel', command: 0xe0, channel: 1, data: [1, 2] }]);
  });
});

describe('emulated board messages', () => {
  it('encodes bytes as 7-bit pairs and back', () => {
    const bytes = [0x00, 0x7f, 0x80, 0xff, 0x60];
    expect(encodeTwo7BitBytes(bytes)).toEqual([0, 0, 0x7f, 0, 0, 1, 0x7f, 1, 0x60, 0]);
    expect(decodeTwo7BitBytes(encodeTwo7BitBytes(bytes))).toEqual(bytes);
  });

  it('describes an Uno: 20 pins, A0-A5 on pins 14-19 with a 10-bit ADC', () => {
    const pins = unoPins();
    const mapping = analogMappingResponse(pins);
    expect([...mapping]).toEqual([0xf0, 0x6a, ...Array(14).fill(0x7f), 0, 1, 2, 3, 4, 5, 0xf7]);
    const capabilities = [...capabilityResponse(pins)];
    expect(capabilities.filter((byte) => byte === 0x7f)).toHaveLength(20);
    // Pin 14 (A0): input, output, pull-up, analog (10 bits).
    expect(capabilities.join(',')).toContain('0,1,1,1,11,1,2,10,127');
  });

  it('encodes the firmware name, pin state, strings and 14-bit analog values as StandardFirmata does', () => {
    expect([...firmwareReport('SF', 2, 5)]).toEqual([0xf0, 0x79, 2, 5, 0x53, 0, 0x46, 0, 0xf7]);
    expect([...pinStateResponse(9, 3, 200)]).toEqual([0xf0, 0x6e, 9, 3, 200 & 0x7f, 1, 0xf7]);
    expect([...stringData('I2C')]).toEqual([0xf0, 0x71, 0x49, 0, 0x32, 0, 0x43, 0, 0xf7]);
    expect([...analogMessage(2, 1023)]).toEqual([0xe2, 0x7f, 0x07]);
  });

  it('decodes the I2C requests firmata-io sends', () => {
    // i2cWriteReg(0x76, 0xe0, 0xb6)
    expect(parseI2cRequest([0x76, 0x00, 0x60, 0x01, 0x36, 0x01])).toEqual({
      mode: 'write',
      address: 0x76,
      bytes: [0xe0, 0xb6],
    });
    // i2cReadOnce(0x76, 0x88, 24)
    expect(parseI2cRequest([0x76, 0x08, 0x08, 0x01, 24, 0])).toEqual({
      mode: 'read',
      address: 0x76,
      register: 0x88,
      count: 24,
    });
    // i2cRead(0x76, 8) without a register, continuous
    expect(parseI2cRequest([0x76, 0x10, 8, 0])).toEqual({ mode: 'continuous', address: 0x76, count: 8 });
    expect(parseI2cRequest([0x76, 0x18])).toEqual({ mode: 'stop', address: 0x76 });
  });
});
